"""Background jobs: the lifecycle task functions and the two runners that schedule them
(the embedded asyncio scheduler, and Celery worker + beat in production)."""
