"""A storage that is not the filesystem, as an S3 bucket is: no `.path`, no file on disk (tests' `object_storage`)."""

from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.core.files.storage.memory import InMemoryFileNode


class ObjectStore(InMemoryStorage):
    """Django's InMemoryStorage, except that every open gets its own stream, as from an object store (the stock
    class hands each reader the one stored buffer, which the first response to finish closes)."""

    def _open(self, name, mode="rb"):
        if "w" in mode:
            raise NotImplementedError("objects are written whole, with save()")
        node = self._resolve(name, leaf_cls=InMemoryFileNode)
        return ContentFile(node.file.getvalue(), name=name)

    def names(self) -> list[str]:
        """Every stored name."""
        found, pending = [], [""]
        while pending:
            folder = pending.pop()
            dirs, files = self.listdir(folder)
            found += [f"{folder}{name}" for name in files]
            pending += [f"{folder}{name}/" for name in dirs]
        return sorted(found)
