"""ree.rag"""
