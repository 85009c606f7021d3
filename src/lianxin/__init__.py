"""Lianxin (连心): the platform for people's congress deputy liaison stations."""
