"""The instructor's tools: the course runner, student versions and grading, publishing.

The top layer: it may use every other, and no notebook imports it.
"""
