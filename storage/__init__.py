"""Storage backends behind one async interface (`storage.base.Storage`)."""

from storage.base import Storage, WriteTx

__all__ = ["Storage", "WriteTx"]
