"""ree.listings"""
