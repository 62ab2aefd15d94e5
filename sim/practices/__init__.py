"""Practices in which one mode of governance works through another (ODD 7.17 onwards): one mechanism a file."""
