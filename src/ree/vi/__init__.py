"""ree.vi"""
