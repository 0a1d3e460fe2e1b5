"""The VMware Private AI Services dialect (`/pais`): the OpenAI-compatible agents API."""

from dialects.pais.dialect import Pais

__all__ = ["Pais"]
