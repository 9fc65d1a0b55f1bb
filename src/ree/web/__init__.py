"""ree.web"""
