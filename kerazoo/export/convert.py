"""SavedModel → .tflite with builtin ops only, optionally quantized.

Run as a script (``convert_isolated`` does), it converts in a child process:
full-integer quantization of a WHILE-loop LSTM can crash the converter, and a
crashed child is an error message instead of a dead Python session.

    >>> buffer = convert("out/saved_model", ["serving_default", "step"], quantize="float16")  # doctest: +SKIP

(Skipped by the doctest run: it needs a SavedModel, e.g. from ``to_savedmodel``.)
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import tensorflow as tf

QUANTIZATIONS = ("none", "dynamic", "float16", "int8")


class ConversionError(RuntimeError):
    """The model cannot become a builtins-only .tflite (the message says why)."""


def _converter(saved_model_dir, signature_keys, quantize, representative, select_tf_ops=False):
    converter = tf.lite.TFLiteConverter.from_saved_model(
        str(saved_model_dir), signature_keys=list(signature_keys))
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    if select_tf_ops:
        converter.target_spec.supported_ops.append(tf.lite.OpsSet.SELECT_TF_OPS)
    if quantize != "none":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if quantize == "float16":
        converter.target_spec.supported_types = [tf.float16]
    if quantize == "int8":
        converter.representative_dataset = lambda: (list(sample) for sample in representative)
    return converter


def _flex_ops(saved_model_dir, signature_keys, quantize, representative):
    """The TF ops a conversion would need beyond the builtins (empty if unknown)."""
    from ai_edge_litert import schema_py_generated as schema

    try:
        buffer = _converter(saved_model_dir, signature_keys, quantize, representative,
                            select_tf_ops=True).convert()
    except Exception:  # noqa: BLE001 - only used to improve an error message
        return []
    model = schema.Model.GetRootAsModel(bytearray(buffer), 0)
    codes = (model.OperatorCodes(i).CustomCode() for i in range(model.OperatorCodesLength()))
    return sorted({c.decode() for c in codes if c and c.decode().startswith("Flex")})


def _ops_named_in(message):
    """Op names from the converter's "Flex ops: ..." / "Custom ops: ..." lines."""
    names = []
    for match in re.finditer(r"^(?:Flex|Custom) ops: (.+)$", message, re.MULTILINE):
        names += [name.strip() for name in match.group(1).split(",") if name.strip()]
    return names


def convert(saved_model_dir, signature_keys, quantize="none", representative=None):
    """The .tflite bytes of ``signature_keys`` of a SavedModel; builtin ops only.

    ``representative`` (int8 only): an iterable of samples, each a list with
    one array per input of the first signature, with its batch axis.
    Raises ``ConversionError`` naming the ops when TensorFlow (Flex) ops would
    be needed, since a plain LiteRT interpreter cannot run them.
    """
    if quantize not in QUANTIZATIONS:
        raise ValueError(f"quantize must be one of {', '.join(QUANTIZATIONS)}, got {quantize!r}")
    if quantize == "int8" and representative is None:
        raise ValueError("quantize='int8' needs representative data (typical inputs) "
                         "to calibrate activation ranges")
    if "serve" in signature_keys and len(signature_keys) > 1:
        # from_saved_model then keeps "serve" alone, renamed serving_default.
        raise ValueError("an endpoint named 'serve' cannot be converted with others; "
                         "name it 'serving_default'")
    try:
        return _converter(saved_model_dir, signature_keys, quantize, representative).convert()
    except Exception as error:  # the converter raises several unrelated types
        needed = sorted(set(_flex_ops(saved_model_dir, signature_keys, quantize, representative))
                        | set(_ops_named_in(str(error))))
        needed = f" It needs ops outside the builtins: {', '.join(needed)}." if needed else ""
        first_lines = "\n".join(str(error).strip().splitlines()[:12])
        raise ConversionError(
            f"Cannot convert to TFLite with builtin ops only.{needed} A plain LiteRT "
            "interpreter cannot run these; export the part of the model before them "
            "(e.g. logits instead of in-graph decoding) and do the rest in numpy.\n"
            f"Converter said:\n{first_lines}") from error


def main(argv=None):
    """``SAVED_MODEL OUT.tflite --keys serving_default [--quantize int8 --representative x.npz]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("saved_model")
    parser.add_argument("output")
    parser.add_argument("--keys", nargs="+", required=True)
    parser.add_argument("--quantize", default="none", choices=QUANTIZATIONS)
    parser.add_argument("--representative", help=".npz of arrays input_0, input_1, ...")
    parser.add_argument("--batch-size", type=int, default=1)
    args = parser.parse_args(argv)
    representative = None
    if args.representative:
        with np.load(args.representative) as data:
            arrays = [data[f"input_{i}"] for i in range(len(data.files))]
        step = args.batch_size
        representative = [[a[i:i + step] for a in arrays]
                          for i in range(0, len(arrays[0]) - step + 1, step)]
    try:
        buffer = convert(args.saved_model, args.keys, args.quantize, representative)
    except ConversionError as error:
        print(error, file=sys.stderr)
        return 3
    with open(args.output, "wb") as f:
        f.write(buffer)
    return 0


def convert_isolated(saved_model_dir, signature_keys, output, quantize, representative,
                     batch_size=1, timeout=900):
    """``convert`` in a child process; writes ``output``. ``representative``: one
    array per input, all examples along axis 0. A crash becomes ``ConversionError``."""
    with tempfile.TemporaryDirectory() as scratch:
        data = os.path.join(scratch, "representative.npz")
        np.savez(data, **{f"input_{i}": np.asarray(a) for i, a in enumerate(representative)})
        # This file run as a script (the child imports TensorFlow, not kerazoo);
        # run_path keeps this folder off sys.path, where tflite.py would shadow names.
        command = [sys.executable, "-c", "import runpy, sys; sys.argv = sys.argv[1:]; "
                   "runpy.run_path(sys.argv[0], run_name='__main__')",
                   os.path.abspath(__file__), str(saved_model_dir), str(output), "--keys", *signature_keys,
                   "--quantize", quantize, "--representative", data,
                   "--batch-size", str(batch_size)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as error:
            raise ConversionError(f"{quantize} conversion took over {timeout} s; "
                                  "try quantize='dynamic' or 'float16'") from error
    if done.returncode != 0:
        how = (f"crashed (signal {-done.returncode})" if done.returncode < 0
               else f"failed (exit code {done.returncode})")
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise ConversionError(f"The {quantize} TFLite conversion {how}. 'dynamic' and "
                              f"'float16' are the safe choices for recurrent models.\n{tail}")


if __name__ == "__main__":
    sys.exit(main())
