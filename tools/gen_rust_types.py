"""Generate core/src/types/generated.rs: the typed Rust API.

For each operation, `<Op>Input` (with a builder whose `build()` checks the
model's rules) and `<Op>Output` (getters), the nested structures and enums of
the model, and the typed `Client` methods (blocking, async, paginators).
Driven by tools/generate.py (`make generate`).
"""

from __future__ import annotations

import os
import sys
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))
import model_source

OUT = os.path.join("core", "src", "types", "generated.rs")
KEYWORDS = {"type", "match", "ref", "self", "struct", "enum", "fn", "impl", "use", "mod", "move", "loop", "in"}


def field(member: str) -> str:
    name = model_source.snake_case(member)
    return f"r#{name}" if name in KEYWORDS else name


def doc(text: str, indent: str = "") -> list[str]:
    sentence = model_source.first_sentence(text) or ""
    sentence = sentence.replace("[", "\\[").replace("]", "\\]").replace("<", "&lt;").replace(">", "&gt;")
    return [f"{indent}/// {sentence}"] if sentence else []


class Gen:
    def __init__(self, model: dict[str, Any], paginators: dict[str, Any]) -> None:
        self.shapes: dict[str, Any] = model["shapes"]
        self.ops: dict[str, Any] = model["operations"]
        self.paginators = paginators
        self.out: list[str] = []
        # Structures referenced as members (the nested types), and enums.
        self.nested = sorted(
            {
                t
                for s in self.shapes.values()
                for t in self.referenced(s)
                if self.shapes[t]["type"] == "structure" and not self.shapes[t].get("exception")
            }
        )
        self.enums = sorted(n for n, s in self.shapes.items() if s["type"] == "string" and s.get("enum"))

    def referenced(self, s: dict[str, Any]) -> list[str]:
        if s["type"] == "structure":
            return [m["shape"] for m in s["members"].values()]
        if s["type"] == "list":
            return [s["member"]["shape"]]
        if s["type"] == "map":
            return [s["value"]["shape"]]
        return []

    def rust_type(self, shape: str) -> str:
        s = self.shapes[shape]
        t = s["type"]
        if t == "string":
            return shape if s.get("enum") else "String"
        return {
            "boolean": "bool",
            "integer": "i32",
            "long": "i64",
            "timestamp": "SystemTime",
        }.get(t) or (
            f"Vec<{self.rust_type(s['member']['shape'])}>"
            if t == "list"
            else f"HashMap<String, {self.rust_type(s['value']['shape'])}>"
            if t == "map"
            else shape
        )

    def sensitive(self, shape: str) -> bool:
        s = self.shapes[shape]
        return bool(s.get("sensitive")) or any(self.sensitive(t) for t in self.referenced(s) if t != shape)

    def w(self, line: str = "") -> None:
        self.out.append(line)

    # A structure: fields, getters, builder, JSON conversions, redacted Debug.
    def structure(self, name: str, shape: str, op: str | None, output: bool) -> None:
        s = self.shapes[shape]
        members: dict[str, Any] = s["members"]
        required = set(s.get("required", []))
        w = self.w
        for line in doc(s.get("documentation", "")):
            w(line)
        w("#[derive(Clone, Default, PartialEq)]")
        w(f"pub struct {name} {{")
        for m, spec in members.items():
            w(f"    pub(crate) {field(m)}: Option<{self.rust_type(spec['shape'])}>,")
        if output:
            w("    pub(crate) response_metadata: Option<ResponseMetadata>,")
        w("}")
        w("")
        w(f"impl {name} {{")
        if not output:
            w(f"    /// A builder of [`{name}`].")
            w(f"    pub fn builder() -> {name}Builder {{")
            w(f"        {name}Builder::default()")
            w("    }")
        for m, spec in members.items():
            f = field(m)
            t = self.shapes[spec["shape"]]
            rt = self.rust_type(spec["shape"])
            for line in doc(spec.get("documentation", "") or t.get("documentation", ""), "    "):
                w(line)
            if t["type"] == "list":
                w(f"    pub fn {f}(&self) -> &[{self.rust_type(t['member']['shape'])}] {{")
                w(f"        self.{f}.as_deref().unwrap_or_default()")
            elif t["type"] == "string" and not t.get("enum"):
                if m in required:
                    w(f"    pub fn {f}(&self) -> &str {{")
                    w(f"        self.{f}.as_deref().unwrap_or_default()")
                else:
                    w(f"    pub fn {f}(&self) -> Option<&str> {{")
                    w(f"        self.{f}.as_deref()")
            elif t["type"] in ("boolean", "integer", "long", "timestamp"):
                if m in required and t["type"] != "timestamp":
                    w(f"    pub fn {f}(&self) -> {rt} {{")
                    w(f"        self.{f}.unwrap_or_default()")
                else:
                    w(f"    pub fn {f}(&self) -> Option<{rt}> {{")
                    w(f"        self.{f}")
            elif t["type"] == "map" and m in required:
                w(f"    pub fn {f}(&self) -> &{rt} {{")
                w(f"        self.{f}.as_ref().unwrap_or_else(|| empty_map())")
            else:
                w(f"    pub fn {f}(&self) -> Option<&{rt}> {{")
                w(f"        self.{f}.as_ref()")
            w("    }")
        if output:
            w("    /// The request id, HTTP status and retries of the call that gave this.")
            w("    pub fn response_metadata(&self) -> Option<&ResponseMetadata> {")
            w("        self.response_metadata.as_ref()")
            w("    }")
        w("}")
        w("")
        # Debug that never shows a secret.
        w(f"impl fmt::Debug for {name} {{")
        w("    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {")
        w(f'        let mut d = f.debug_struct("{name}");')
        for m, spec in members.items():
            f = field(m)
            if self.sensitive(spec["shape"]):
                w(f'        d.field("{f.removeprefix("r#")}", &self.{f}.as_ref().map(|_| REDACTED));')
            else:
                w(f'        d.field("{f.removeprefix("r#")}", &self.{f});')
        w("        d.finish_non_exhaustive()")
        w("    }")
        w("}")
        w("")
        # Builder (inputs and nested structures).
        if not output:
            w(f"/// Builds a [`{name}`].")
            w("#[derive(Clone, Default, Debug)]")
            w(f"pub struct {name}Builder {{")
            w(f"    inner: {name},")
            w("}")
            w("")
            w(f"impl {name}Builder {{")
            for m, spec in members.items():
                f = field(m)
                rt = self.rust_type(spec["shape"])
                text = spec.get("documentation", "") or self.shapes[spec["shape"]].get("documentation", "")
                for line in doc(text, "    "):
                    w(line)
                w(f"    pub fn {f}(mut self, value: impl Into<{rt}>) -> Self {{")
                w(f"        self.inner.{f} = Some(value.into());")
                w("        self")
                w("    }")
            if op:
                w(f"    /// The input, checked against the model's rules for `{op}` (required")
                w("    /// members, lengths, patterns, ranges) as the JSON path checks it.")
                w(f"    pub fn build(self) -> Result<{name}, Error> {{")
                w(f'        check("{op}", &self.inner.to_json())?;')
                w("        Ok(self.inner)")
            else:
                w("    /// The value (checked with the operation input that holds it).")
                w(f"    pub fn build(self) -> {name} {{")
                w("        self.inner")
            w("    }")
            w("}")
            w("")
        # JSON conversions.
        w(f"impl Member for {name} {{")
        w("    fn to_json(&self) -> Value {")
        w("        let mut m = Map::new();" if members else "        let m = Map::new();")
        for m in members:
            f = field(m)
            w(f"        if let Some(v) = &self.{f} {{")
            w(f'            m.insert("{m}".into(), v.to_json());')
            w("        }")
        w("        Value::Object(m)")
        w("    }")
        w("    fn from_json(v: &Value, path: &str) -> Result<Self, Error> {")
        w("        let m = object(v, path)?;" if members else "        object(v, path)?;")
        w("        Ok(Self {")
        for m in members:
            w(f'            {field(m)}: member(m, "{m}", path)?,')
        if output:
            w("            response_metadata: None,")
        w("        })")
        w("    }")
        w("}")
        w("")
        if output:
            w(f"impl FromResponse for {name} {{")
            w("    fn from_response(v: &Value) -> Result<Self, Error> {")
            w(f'        let mut out = Self::from_json(v, "{name}")?;')
            w("        out.response_metadata = ResponseMetadata::of(v);")
            w("        Ok(out)")
            w("    }")
            w("}")
            w("")

    def empty_output(self, name: str, op: str) -> None:
        w = self.w
        w(f"/// The (empty) answer of `{op}`.")
        w("#[derive(Clone, Debug, Default, PartialEq)]")
        w(f"pub struct {name} {{")
        w("    pub(crate) response_metadata: Option<ResponseMetadata>,")
        w("}")
        w("")
        w(f"impl {name} {{")
        w("    /// The request id, HTTP status and retries of the call that gave this.")
        w("    pub fn response_metadata(&self) -> Option<&ResponseMetadata> {")
        w("        self.response_metadata.as_ref()")
        w("    }")
        w("}")
        w("")
        w(f"impl FromResponse for {name} {{")
        w("    fn from_response(v: &Value) -> Result<Self, Error> {")
        w("        Ok(Self { response_metadata: ResponseMetadata::of(v) })")
        w("    }")
        w("}")
        w("")

    def enum(self, name: str) -> None:
        s = self.shapes[name]
        w = self.w
        values: list[str] = s["enum"]
        for line in doc(s.get("documentation", "") or f"The values of `{name}`."):
            w(line)
        w("#[derive(Clone, Debug, PartialEq, Eq, Hash)]")
        w("#[non_exhaustive]")
        w(f"pub enum {name} {{")
        for v in values:
            w(f"    /// `{v}`")
            w(f"    {v},")
        w("    /// A value this version of the crate does not know.")
        w("    Unknown(String),")
        w("}")
        w("")
        w(f"impl {name} {{")
        w("    /// The value as the service spells it.")
        w("    pub fn as_str(&self) -> &str {")
        w("        match self {")
        for v in values:
            w(f'            Self::{v} => "{v}",')
        w("            Self::Unknown(other) => other,")
        w("        }")
        w("    }")
        w("}")
        w("")
        w(f"impl From<&str> for {name} {{")
        w("    fn from(s: &str) -> Self {")
        w("        match s {")
        for v in values:
            w(f'            "{v}" => Self::{v},')
        w("            other => Self::Unknown(other.to_owned()),")
        w("        }")
        w("    }")
        w("}")
        w("")
        w(f"impl Member for {name} {{")
        w("    fn to_json(&self) -> Value {")
        w("        Value::String(self.as_str().to_owned())")
        w("    }")
        w("    fn from_json(v: &Value, path: &str) -> Result<Self, Error> {")
        w("        Ok(Self::from(string(v, path)?))")
        w("    }")
        w("}")
        w("")

    def client(self) -> None:
        w = self.w
        w("impl Client {")
        for op in sorted(self.ops):
            spec = self.ops[op]
            snake = model_source.snake_case(op)
            for line in doc(spec.get("documentation", ""), "    "):
                w(line)
            w(f"    pub fn {snake}(&self, input: {op}Input) -> Result<{op}Output, Error> {{")
            w(f'        {op}Output::from_response(&self.call_json("{op}", &input.to_json())?)')
            w("    }")
            w(f"    /// The async form of [`Client::{snake}`].")
            w(f"    pub async fn {snake}_async(&self, input: {op}Input) -> Result<{op}Output, Error> {{")
            w(f'        {op}Output::from_response(&self.call_json_async("{op}", &input.to_json()).await?)')
            w("    }")
            pg = self.paginators.get(op)
            if pg:
                w(f"    /// Every page of `{op}`, each a call made when iterated")
                w("    /// (`Iterator` for blocking code, `next_page().await` for async code).")
                w(f"    pub fn {snake}_pages(&self, input: {op}Input) -> Paginator<{op}Output> {{")
                w(
                    f'        Paginator::new(self.clone(), "{op}", input.to_json(), "{pg["input_token"]}", '
                    f'"{pg["output_token"]}")'
                )
                w("    }")
        w("}")

    def render(self, version: str) -> str:
        w = self.w
        w(f"// @generated by tools/gen_rust_types.py from botocore {version}.")
        w("// Do not edit by hand: run `make generate`.")
        w("")
        w("use super::{FromResponse, Member, Paginator, ResponseMetadata, check, empty_map, member, object, string};")
        w("use crate::{Client, Error};")
        w("use crate::redact::REDACTED;")
        w("use serde_json::{Map, Value};")
        w("use std::collections::HashMap;")
        w("use std::fmt;")
        w("use std::time::SystemTime;")
        w("")
        for op in sorted(self.ops):
            spec = self.ops[op]
            self.structure(f"{op}Input", spec["input"]["shape"], op, output=False)
            out = spec.get("output", {}).get("shape")
            if out:
                self.structure(f"{op}Output", out, None, output=True)
            else:
                self.empty_output(f"{op}Output", op)
        for n in self.nested:
            self.structure(n, n, None, output=False)
        for n in self.enums:
            self.enum(n)
        self.client()
        return "\n".join(self.out) + "\n"


def render() -> dict[str, str]:
    model, paginators = model_source.load()
    return {OUT: Gen(model, paginators).render(model_source.botocore_version())}


if __name__ == "__main__":
    for path, text in render().items():
        with open(os.path.join(os.path.dirname(__file__), "..", path), "w", encoding="utf-8") as f:
            f.write(text)
