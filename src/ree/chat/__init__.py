"""ree.chat"""
