"""ree.infra"""
