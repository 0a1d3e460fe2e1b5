"""The Aegra dialect (`/aegra`): Aegra 0.11.0's assistants API, a close relative of LangSmith's."""

from dialects.aegra.dialect import Aegra

__all__ = ["Aegra"]
