"""Boards, their members and their meetings."""
