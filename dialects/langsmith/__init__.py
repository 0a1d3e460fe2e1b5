"""The LangSmith Agent Server dialect (`/langsmith`)."""

from dialects.langsmith.dialect import LangSmith

__all__ = ["LangSmith"]
