"""``client.meta.service_model`` and the model classes it gives, as botocore
names them; loaded with the first use (each class made at import is start-up
time every process pays)."""

from __future__ import annotations

from . import exceptions
from ._native import operation_model, operation_names

# typing is imported only by type checkers: importing it costs milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional

__all__ = ["OperationModel", "ServiceModel", "ShapeModel"]

API_VERSION = "2014-06-30"


class ShapeModel:
    """A structure of the model: ``name``, ``members`` (member name to the name
    of its shape, in model order) and ``required_members``. botocore's
    ``members`` maps to Shape objects; here the values are shape names."""

    def __init__(self, spec: Dict[str, Any]) -> None:
        self.name: str = spec["name"]
        self.members: Dict[str, str] = dict(spec["members"])
        self.required_members: List[str] = list(spec["required"])

    def __repr__(self) -> str:
        return f"<StructureShape({self.name})>"


class OperationModel:
    """One operation of the model, as botocore's ``OperationModel`` names it."""

    def __init__(self, spec: Dict[str, Any]) -> None:
        self.name: str = spec["name"]
        self.input_shape: ShapeModel = ShapeModel(spec["input"])
        self.output_shape: Optional[ShapeModel] = ShapeModel(spec["output"]) if spec["output"] else None
        self.error_codes: List[str] = list(spec["errors"])
        self.auth_type: Optional[str] = None if spec["signed"] else "none"
        self.can_paginate: bool = spec["paginated"]

    def __repr__(self) -> str:
        return f"OperationModel(name={self.name})"


class ServiceModel:
    """``client.meta.service_model``: the API this client speaks."""

    service_name = "cognito-identity"
    api_version = API_VERSION
    protocol = "json"
    signing_name = "cognito-identity"

    @property
    def operation_names(self) -> List[str]:
        """The operations, PascalCase as on the wire (``GetId``), sorted."""
        return operation_names()

    def operation_model(self, operation_name: str) -> OperationModel:
        """The operation ``operation_name`` (PascalCase); ``OperationNotFoundError`` otherwise."""
        spec = operation_model(operation_name)
        if spec is None:
            raise exceptions._client_side(
                "OperationNotFoundError",
                f"Operation not found: {operation_name!r} (operation names are PascalCase: 'GetId')",
            )
        return OperationModel(spec)

    def __repr__(self) -> str:
        return f"ServiceModel({self.service_name})"
