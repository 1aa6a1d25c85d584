# dataclass fields with default_factory build a new list per instance
from dataclasses import dataclass, field


@dataclass
class Job:
    tags: list = field(default_factory=list)
