"""The PAIS dialect's own configuration keys (`[dialects.pais]`).

PAIS serves the model endpoints deployed next to it; the gateway has none, so they are configured:
`models` is what `GET /models` lists and what `model` must name on create and update. Assistants
created through other dialects may have no model or session settings; `default_model` and the
`default_session_*` keys are what PAIS shows for them. The gateway has no knowledge-base control
plane either, so `knowledge_bases` says which index and search-tool ids belong to which knowledge
base, for the `knowledge_base_id` list filter.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from dialects.base import DialectSettings

DEFAULT_MODEL_ID = "meta-llama/Meta-Llama-3.1-8B-Instruct"


class ModelSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One model endpoint, as `GET /models` shows it."""

    id: str
    model_type: Literal["COMPLETIONS", "EMBEDDINGS"] = "COMPLETIONS"
    model_engine: str = "VLLM"  # an open list in PAIS (VLLM, INFINITY, TRITON_VLLM, LLAMA_CPP, ...)
    created: int = 1717000000  # unix seconds
    owned_by: str = ""


def _default_models() -> list[ModelSettings]:
    return [ModelSettings(id=DEFAULT_MODEL_ID)]


class PaisSettings(DialectSettings, kw_only=True, forbid_unknown_fields=True):
    models: list[ModelSettings] = msgspec.field(default_factory=_default_models)
    # Shown for assistants without a model; default: the first COMPLETIONS model.
    default_model: str | None = None
    # Shown for assistants without PAIS session settings (created through another dialect).
    default_session_max_length: int = 4096
    default_session_summarization_strategy: str = "delete_oldest"
    # knowledge base id -> the index ids and search-tool ids that belong to it.
    knowledge_bases: dict[str, list[str]] = msgspec.field(default_factory=dict)

    def __post_init__(self) -> None:
        ids = [m.id for m in self.models]
        if len(set(ids)) != len(ids):
            raise ValueError("models: the same model id is listed twice")
        completions = [m.id for m in self.models if m.model_type == "COMPLETIONS"]
        if not completions:
            raise ValueError("models: at least one COMPLETIONS model is needed")
        if self.default_model is None:
            self.default_model = completions[0]
        elif self.default_model not in completions:
            raise ValueError(
                f"default_model: {self.default_model!r} is not a COMPLETIONS model listed in models"
            )
        if self.default_session_max_length <= 0:
            raise ValueError("default_session_max_length: must be positive")

    @property
    def completion_model(self) -> str:
        assert self.default_model is not None
        return self.default_model
