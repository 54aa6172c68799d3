"""Generate the Go package's types and operation methods from the service model.

    python3 tools/gen_go.py            # writes go/types_gen.go and go/operations_gen.go
    python3 tools/gen_go.py --check    # exits 1 if the committed files differ

Reads the model through model_source.py, so Go sees exactly the shapes the
Rust table was generated from. Run gofmt on the output is not needed: the
text is written already formatted (the Go tests run gofmt -l to check).

Mapping (see go/README.md):
  * every operation gets <Op>Input and <Op>Output, whatever the model names its
    shapes, and every output carries ResponseMetadata;
  * nested structures keep the model's names (Credentials, RoleMapping, ...);
  * required members are values; optional members are omitempty, with
    pointers for booleans, numbers and structures (nil means "not set");
  * timestamps are time.Time on the Go side and epoch seconds on the wire
    (zero time means absent);
  * enum strings become typed strings with one constant per value;
  * sensitive members are redacted by String/GoString.
"""

from __future__ import annotations

import html
import os
import re
import sys
import textwrap
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model_source

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GO_DIR = os.path.join(ROOT, "go")


def doc_text(raw: str | None) -> str:
    """Model documentation is HTML; keep the first sentence as plain text."""
    if not raw:
        return ""
    text = re.sub(r"<[^>]+>", " ", raw)
    text = html.unescape(re.sub(r"\s+", " ", text)).strip()
    m = re.match(r"(.+?\.)(\s|$)", text)
    return m.group(1) if m else text


def comment(text: str, indent: str = "") -> list[str]:
    if not text:
        return []
    return [indent + "// " + line for line in textwrap.wrap(text, 96 - len(indent))]


def const_suffix(value: str) -> str:
    parts = re.split(r"[^A-Za-z0-9]+", value)
    return "".join(p[:1].upper() + p[1:] for p in parts if p)


class Gen:
    def __init__(self, model: dict[str, Any]):
        self.model = model
        self.shapes: dict[str, Any] = model["shapes"]
        self.ops: dict[str, Any] = dict(sorted(model["operations"].items()))
        io = set()
        for op in self.ops.values():
            for key in ("input", "output"):
                if key in op:
                    io.add(op[key]["shape"])
        # Structures reached as members (directly or via lists/maps) get their own type.
        self.nested: set[str] = set()
        for shape in self.shapes.values():
            if shape["type"] == "structure" and not shape.get("exception"):
                for member in shape["members"].values():
                    self._collect(member["shape"])
        # Structures reached from inputs: they get appendJSON (encode_method).
        self.input_nested: set[str] = set()
        for op in self.ops.values():
            if "input" in op:
                for member in self.shapes[op["input"]["shape"]]["members"].values():
                    self._collect_into(member["shape"], self.input_nested)
        self.enums = sorted(n for n, s in self.shapes.items() if s["type"] == "string" and "enum" in s)
        self.errors = sorted(n for n, s in self.shapes.items() if s.get("exception"))

    def _collect(self, name: str) -> None:
        shape = self.shapes[name]
        if shape["type"] == "structure":
            if name not in self.nested:
                self.nested.add(name)
                for member in shape["members"].values():
                    self._collect(member["shape"])
        elif shape["type"] == "list":
            self._collect(shape["member"]["shape"])
        elif shape["type"] == "map":
            self._collect(shape["key"]["shape"])
            self._collect(shape["value"]["shape"])

    def _collect_into(self, name: str, into: set[str]) -> None:
        shape = self.shapes[name]
        if shape["type"] == "structure":
            if name not in into:
                into.add(name)
                for member in shape["members"].values():
                    self._collect_into(member["shape"], into)
        elif shape["type"] == "list":
            self._collect_into(shape["member"]["shape"], into)
        elif shape["type"] == "map":
            self._collect_into(shape["value"]["shape"], into)

    def encode_value(self, expr: str, name: str) -> str:
        """Go statement appending the JSON of expr (of shape name) to b, as
        encoding/json writes it (fastjson.go has the helpers)."""
        shape = self.shapes[name]
        kind = shape["type"]
        if kind == "string":
            return f"b = appendJSONString(b, string({expr}))"
        if kind == "boolean":
            return f"b = strconv.AppendBool(b, {expr})"
        if kind in ("integer", "long"):
            return f"b = strconv.AppendInt(b, int64({expr}), 10)"
        if kind == "structure":
            return f"b = {expr}.appendJSON(b)"
        if kind in ("list", "map"):
            inner_name = (shape["member"] if kind == "list" else shape["value"])["shape"]
            inner = self.shapes[inner_name]["type"]
            if inner == "string":
                return f"b = appendJSONString{'List' if kind == 'list' else 'Map'}(b, {expr})"
            if inner == "structure":
                return f"b = appendJSONStruct{'List' if kind == 'list' else 'Map'}(b, {expr})"
        raise ValueError(f"no generated encoder for {name} ({kind})")

    def encode_method(self, go_name: str, shape: dict[str, Any]) -> list[str]:
        required = set(shape.get("required", []))
        body = []
        for mname, member in shape["members"].items():
            t, tag, is_ts = self.field(mname, member, mname in required)
            if is_ts:
                raise ValueError(f"no generated encoder for the timestamp {go_name}.{mname}")
            kind = self.shapes[member["shape"]]["type"]
            key = f'\tb = appendJSONKey(b, start, "{mname}")'
            if t.startswith("*"):  # omitempty pointer: omitted when nil
                value = self.encode_value(f"*v.{mname}" if kind != "structure" else f"v.{mname}", member["shape"])
                body.append(f"\tif v.{mname} != nil {{\n\t{key}\n\t\t{value}\n\t}}")
            elif "omitempty" in tag:
                empty = (
                    f'v.{mname} != ""'
                    if kind == "string"
                    else (
                        f"v.{mname}"
                        if kind == "boolean"
                        else f"v.{mname} != 0"
                        if kind in ("integer", "long")
                        else f"len(v.{mname}) != 0"
                    )
                )
                value = self.encode_value(f"v.{mname}", member["shape"])
                body.append(f"\tif {empty} {{\n\t{key}\n\t\t{value}\n\t}}")
            else:
                value = self.encode_value(f"v.{mname}", member["shape"])
                if kind in ("list", "map"):  # a nil slice or map is null
                    null = f'\tif v.{mname} == nil {{\n\t\tb = append(b, "null"...)\n\t}}'
                    body.append(f"{key}\n{null} else {{\n\t\t{value}\n\t}}")
                else:
                    body.append(f"{key}\n\t{value}")
        body_s = "\n".join(body)
        return f"""
// appendJSON appends v as json.Marshal writes it (fastjson.go).
func (v *{go_name}) appendJSON(b []byte) []byte {{
	start := len(b)
	b = append(b, '{{')
{body_s}
	return append(b, '}}')
}}""".split("\n")

    def go_type(self, name: str) -> str:
        shape = self.shapes[name]
        t = shape["type"]
        if t == "string":
            return name if "enum" in shape else "string"
        if t == "boolean":
            return "bool"
        if t == "integer":
            return "int32"
        if t == "long":
            return "int64"
        if t == "double":
            return "float64"
        if t == "timestamp":
            return "time.Time"
        if t == "blob":
            return "[]byte"
        if t == "list":
            return "[]" + self.go_type(shape["member"]["shape"])
        if t == "map":
            return "map[string]" + self.go_type(shape["value"]["shape"])
        if t == "structure":
            return name
        raise ValueError(f"unhandled shape type {t} ({name})")

    def field(self, mname: str, member: dict[str, Any], required: bool) -> tuple[str, str, bool]:
        """(Go type, JSON tag, is_timestamp) for one member."""
        shape = self.shapes[member["shape"]]
        t = self.go_type(member["shape"])
        kind = shape["type"]
        if kind == "timestamp":
            return t, f'`json:"{mname},omitempty"`', True
        if kind == "structure":
            return "*" + t, f'`json:"{mname},omitempty"`', False
        if required:
            return t, f'`json:"{mname}"`', False
        if kind in ("boolean", "integer", "long", "double"):
            t = "*" + t
        return t, f'`json:"{mname},omitempty"`', False

    def sensitive_fields(self, shape: dict[str, Any]) -> list[tuple[str, str]]:
        """(member, how) for members whose values must not be printed."""
        out = []
        for mname, member in shape["members"].items():
            target = self.shapes[member["shape"]]
            if target.get("sensitive"):
                out.append((mname, "value"))
            elif target["type"] == "map" and self.shapes[target["value"]["shape"]].get("sensitive"):
                out.append((mname, "map"))
        return out

    def struct(self, go_name: str, shape: dict[str, Any], doc: str, with_metadata: bool) -> list[str]:
        lines = comment(doc) if doc else []
        lines.append(f"type {go_name} struct {{")
        required = set(shape.get("required", []))
        stamps = []
        for mname, member in shape["members"].items():
            t, tag, is_ts = self.field(mname, member, mname in required)
            mdoc = doc_text(member.get("documentation"))
            if mname in required:
                mdoc = ("Required. " + mdoc).strip()
            lines.extend(comment(mdoc, "\t"))
            lines.append(f"\t{mname} {t} {tag}")
            if is_ts:
                stamps.append(mname)
        if with_metadata:
            lines.append("\t// ResponseMetadata describes the HTTP exchange that produced this output.")
            lines.append('\tResponseMetadata ResponseMetadata `json:"ResponseMetadata"`')
        lines.append("}")
        lines.extend(self.time_methods(go_name, stamps))
        lines.extend(self.redact_methods(go_name, self.sensitive_fields(shape)))
        lines.extend(self.decode_method(go_name, shape, stamps, with_metadata))
        return lines

    def decode_expr(self, mname: str, member: dict[str, Any], required: bool) -> str:
        """The fast decoder's expression for one member (fastjson.go); "false"
        leaves the document to encoding/json."""
        shape = self.shapes[member["shape"]]
        kind = shape["type"]
        field = f"&v.{mname}"
        optional = not required
        if kind == "string":
            return f"fastString(r, {field})"
        if kind == "boolean":
            return f"r.boolPtr({field})" if optional else f"r.bool({field})"
        if kind in ("integer", "long"):
            bits = 32 if kind == "integer" else 64
            return f"fastIntPtr(r, {field}, {bits})" if optional else f"fastInt(r, {field}, {bits})"
        if kind == "structure":
            return f"fastStructPtr(r, {field})"
        if kind in ("list", "map"):
            inner = self.shapes[(shape["member"] if kind == "list" else shape["value"])["shape"]]["type"]
            what = "List" if kind == "list" else "Map"
            if inner == "string":
                return f"fastString{what}(r, {field})"
            if inner == "structure":
                return f"fastStruct{what}(r, {field})"
        return "false"

    def decode_method(self, go_name: str, shape: dict[str, Any], stamps: list[str], with_metadata: bool) -> list[str]:
        required = set(shape.get("required", []))
        cases = []
        for mname, member in shape["members"].items():
            cases.append(f'\t\tcase "{mname}":')
            kind = self.shapes[member["shape"]]["type"]
            # null, as encoding/json takes it: the zero value for a pointer,
            # slice, map or timestamp (UnmarshalJSON), nothing for the others.
            pointer = kind in ("boolean", "integer", "long", "double") and mname not in required
            if mname in stamps or kind in ("structure", "list", "map") or pointer:
                zero = "time.Time{}" if mname in stamps else "nil"
                cases.append(f"\t\t\tif r.null() {{\n\t\t\t\tv.{mname} = {zero}\n\t\t\t}} else {{")
            else:
                cases.append("\t\t\tif !r.null() {")
            if mname in stamps:
                cases.append("\t\t\t\tvar e epochSeconds")
                cases.append(f"\t\t\t\tok = r.stamp(&e)\n\t\t\t\tv.{mname} = e.t")
            else:
                cases.append(f"\t\t\t\tok = {self.decode_expr(mname, member, mname in required)}")
            cases.append("\t\t\t}")
        if with_metadata:
            cases.append('\t\tcase "ResponseMetadata":')
            cases.append("\t\t\tok = v.ResponseMetadata.decodeFast(r)")
        resets = "".join(f"\n\tv.{s} = time.Time{{}} // as UnmarshalJSON: absent means zero" for s in stamps)
        body = "\n".join(cases)
        return f"""
// decodeFast is the fast path of decoding (fastjson.go).
func (v *{go_name}) decodeFast(r *fastReader) bool {{
	if !r.byte('{{') {{
		return false
	}}{resets}
	for first := true; ; {{
		more, ok := r.next(&first, '}}')
		if !ok {{
			return false
		}}
		if !more {{
			return true
		}}
		k, ok := r.key()
		if !ok {{
			return false
		}}
		switch k {{
{body}
		default:
			ok = false
		}}
		if !ok {{
			return false
		}}
	}}
}}""".split("\n")

    def time_methods(self, go_name: str, stamps: list[str]) -> list[str]:
        if not stamps:
            return []
        aux = "\n".join(f'\t\t{s} *epochSeconds `json:"{s},omitempty"`' for s in stamps)
        sets_out = "\n".join(f"\taux.{s} = toEpoch(v.{s})" for s in stamps)
        sets_in = "\n".join(f"\tv.{s} = aux.{s}.time()" for s in stamps)
        return f"""
// MarshalJSON writes the timestamps as epoch seconds, as the service expects.
func (v {go_name}) MarshalJSON() ([]byte, error) {{
	type plain {go_name}
	aux := struct {{
		plain
{aux}
	}}{{plain: plain(v)}}
{sets_out}
	return json.Marshal(aux)
}}

// UnmarshalJSON reads the timestamps from epoch seconds (possibly fractional).
func (v *{go_name}) UnmarshalJSON(data []byte) error {{
	type plain {go_name}
	aux := struct {{
		*plain
{aux}
	}}{{plain: (*plain)(v)}}
	if err := json.Unmarshal(data, &aux); err != nil {{
		return err
	}}
{sets_in}
	return nil
}}""".split("\n")

    def redact_methods(self, go_name: str, fields: list[tuple[str, str]]) -> list[str]:
        if not fields:
            return []
        body = []
        for mname, how in fields:
            fn = "redactString" if how == "value" else "redactMap"
            body.append(f"\tv.{mname} = {fn}(v.{mname})")
        body_s = "\n".join(body)
        return f"""
// String prints the value with its sensitive members redacted.
func (v {go_name}) String() string {{
	type plain {go_name}
{body_s}
	return fmt.Sprintf("%+v", plain(v))
}}

// GoString is String, so that %#v does not print secrets either.
func (v {go_name}) GoString() string {{ return v.String() }}""".split("\n")

    def types_file(self) -> str:
        version = model_source.botocore_version()
        out = [
            f"// Code generated by tools/gen_go.py from botocore {version}'s cognito-identity model; DO NOT EDIT.",
            "",
            "package cognitoidentity",
            "",
            "import (",
            '\t"encoding/json"',
            '\t"fmt"',
            '\t"strconv"',
            '\t"time"',
            ")",
            "",
            "// Codes of the errors the service models. Compare with IsCode or Error.Code.",
            "const (",
        ]
        for name in self.errors:
            etype = self.shapes[name].get("error", {}).get("senderFault")
            out.extend(comment(doc_text(self.shapes[name].get("documentation")), "\t"))
            out.append(f'\tErrCode{name.removesuffix("Exception")} = "{name}"')
            _ = etype
        out.append(")")
        for name in self.enums:
            shape = self.shapes[name]
            out.append("")
            out.extend(comment(f"{name} is an enumeration of the model; the constants below are its values."))
            out.append(f"type {name} string")
            out.append("")
            out.append("const (")
            for value in shape["enum"]:
                out.append(f'\t{name}{const_suffix(value)} {name} = "{value}"')
            out.append(")")
        for name in sorted(self.nested):
            shape = self.shapes[name]
            out.append("")
            doc = doc_text(shape.get("documentation")) or f"{name} is a structure of the model."
            out.extend(self.struct(name, shape, doc, False))
            if name in self.input_nested:
                out.extend(self.encode_method(name, shape))
        for op_name, op in self.ops.items():
            in_shape = self.shapes[op["input"]["shape"]] if "input" in op else {"members": {}}
            out_shape = self.shapes[op["output"]["shape"]] if "output" in op else {"members": {}}
            out.append("")
            out.extend(self.struct(f"{op_name}Input", in_shape, f"{op_name}Input is the input of {op_name}.", False))
            out.extend(self.encode_method(f"{op_name}Input", in_shape))
            out.append("")
            out.extend(self.struct(f"{op_name}Output", out_shape, f"{op_name}Output is the output of {op_name}.", True))
        return "\n".join(out) + "\n"

    def operations_file(self) -> str:
        version = model_source.botocore_version()
        out = [
            f"// Code generated by tools/gen_go.py from botocore {version}'s cognito-identity model; DO NOT EDIT.",
            "",
            "package cognitoidentity",
            "",
            'import "context"',
            "",
            "// Operations lists the names of the service's operations, as Call accepts them.",
            "var Operations = []string{",
        ]
        for op_name in self.ops:
            out.append(f'\t"{op_name}",')
        out.append("}")
        out.append("")
        out.append("// unsignedOperations are sent without SigV4 and work with no credentials configured.")
        out.append("var unsignedOperations = map[string]bool{")
        for op_name, op in self.ops.items():
            if not model_source.is_signed(op):
                out.append(f'\t"{op_name}": true,')
        out.append("}")
        for op_name, op in self.ops.items():
            out.append("")
            doc = doc_text(op.get("documentation"))
            out.extend(comment(f"{op_name} calls the {op_name} operation. {doc}".strip()))
            if not model_source.is_signed(op):
                out.append("//")
                out.append("// The request is not signed: it works with no credentials configured.")
            errs = [e["shape"] for e in op.get("errors", [])]
            if errs:
                out.append("//")
                out.extend(comment("Modeled errors: " + ", ".join(errs) + "."))
            out.append(
                f"func (c *Client) {op_name}(ctx context.Context, in *{op_name}Input) (*{op_name}Output, error) {{"
            )
            out.append("\tif in == nil {")
            out.append(f"\t\tin = &{op_name}Input{{}}")
            out.append("\t}")
            out.append(f"\tout := new({op_name}Output)")
            out.append(f'\tif err := c.callNew(ctx, "{op_name}", in, out); err != nil {{')
            out.append("\t\treturn nil, err")
            out.append("\t}")
            out.append("\treturn out, nil")
            out.append("}")
        return "\n".join(out) + "\n"


def render() -> dict[str, str]:
    model, _ = model_source.load()
    gen = Gen(model)
    rel = os.path.relpath(GO_DIR, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    return {
        os.path.join(rel, "types_gen.go"): gen.types_file(),
        os.path.join(rel, "operations_gen.go"): gen.operations_file(),
    }
