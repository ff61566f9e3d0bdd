"""What a fact file was when it was read, for the cache to tell whether it changed since."""

from __future__ import annotations

import os
from typing import Any

# Coarser than any file system's timestamps we know of (FAT: 2 s): a file changed this
# close to its reading may change again without changing its stamp, so its hash is kept.
RACY_NS = 2_000_000_000


class Stamp:
    """What a file was when it was read: enough to tell later whether it changed.

    Device, inode, size, modification and status-change times (ns), when they were
    read, and the SHA-256 of the bytes read when the file had changed within RACY_NS of
    the read. A file replaced, touched or edited changes its inode, mtime or ctime; an
    edit within the file system's timestamp granularity of the read (a "racy" stamp, as
    git calls it) is caught by the hash."""

    __slots__ = ("ctime_ns", "dev", "ino", "mtime_ns", "path", "read_ns", "sha256", "size")

    def __init__(self, path: str, st: os.stat_result, sha256: str | None, read_ns: int) -> None:
        self.path, self.sha256, self.read_ns = path, sha256, read_ns
        self.dev, self.ino, self.size = st.st_dev, st.st_ino, st.st_size
        self.mtime_ns, self.ctime_ns = st.st_mtime_ns, st.st_ctime_ns

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}
