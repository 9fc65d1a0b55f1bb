"""ree.ingest"""
