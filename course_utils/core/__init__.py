"""The bottom layer: plain building blocks that know nothing of notebooks.

Audio constants and files, atomic writes and array caches, the seed table of the
synthetic worlds, text vocabularies, metrics, and the labelled-clip container that
both the sound world and real sound datasets fill.
"""
