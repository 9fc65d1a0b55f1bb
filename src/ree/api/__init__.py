"""ree.api"""
