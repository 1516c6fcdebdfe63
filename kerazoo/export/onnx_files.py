"""What the ONNX writer and reader agree on: file names, the ``next_`` prefix, the extra.

    >>> file_name("serving_default"), file_name("step")
    ('model.onnx', 'step.onnx')
"""

from kerazoo.errors import UserError

EXTRA_HINT = "pip install 'kerazoo[onnx]' (tf2onnx, onnx and onnxruntime)"
# ONNX forbids an input and an output of one name: such an output is stored as next_<name>.
NEXT = "next_"


def require_onnx():
    """Import the ONNX tool chain, or raise ``UserError`` naming the extra to install."""
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
        import tf2onnx  # noqa: F401
    except ImportError as error:
        raise UserError(f"ONNX export needs the 'onnx' extra ({error.name} is not "
                        f"installed): {EXTRA_HINT}") from None


def file_name(endpoint):
    """``model.onnx`` for ``serving_default``, else ``<endpoint>.onnx``."""
    return "model.onnx" if endpoint == "serving_default" else f"{endpoint}.onnx"
