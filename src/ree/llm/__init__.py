"""ree.llm"""
