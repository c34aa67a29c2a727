"""Where the course is published, and which version of this package its notebooks install.

Every notebook's setup cell and "Open in Colab" badge carry these two values; the tests keep
them equal, and ``python -m course_utils.instructor.publish ADDRESS --version TAG`` moves them
all at once. On Colab the setup cell installs ``git+ADDRESS@VERSION``, so a notebook opened
next year still gets the package it was written for.
"""

COURSE_REPOSITORY = "https://github.com/captioning-and-speaking/course"
COURSE_VERSION = "v0.2.0"  # a tag of COURSE_REPOSITORY; publish moves it with the notebooks
