# The back-reference is a dataclass field (compared, copied and pickled by value): reported without a fix.
from dataclasses import dataclass, field
from typing import Optional


@dataclass
class Track:
    title: str
    album: Optional["Album"] = field(default=None, repr=False)


class Album:
    def __init__(self):
        self.tracks = []

    def add(self, track):
        track.album = self
        self.tracks.append(track)
