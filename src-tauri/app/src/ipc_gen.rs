//! The TypeScript functions that call the commands, generated from the command functions
//! themselves into `ui/src/lib/commands.ts`, so that no command name or argument is written by hand
//! in the UI: a renamed command, a new argument or a changed return type changes the generated file,
//! and the UI's type check then finds every caller that no longer fits.
//!
//! The generator reads `src/commands/*.rs` (with `syn`, as the compiler would), takes every
//! `#[tauri::command]` function, leaves out the arguments Tauri fills in itself (the state, the app
//! handle, the window), and turns the Rust types into the TypeScript types `bindings.ts` declares
//! (ts-rs names each type as in Rust). The test fails when the committed file is stale; run it with
//! `UPDATE_BINDINGS=1` to rewrite the file, as for `bindings.ts`.

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use syn::{FnArg, GenericArgument, Item, Pat, PathArguments, ReturnType, Type};

    const COMMANDS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/commands");
    const OUTPUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ui/src/lib/commands.ts");

    /// Arguments Tauri supplies itself; the window never sends them.
    const INJECTED: &[&str] = &["State", "AppHandle", "Window", "WebviewWindow", "Webview"];

    /// TypeScript's reserved words that a Rust argument may be called (`new`).
    const RESERVED: &[&str] = &["new", "default", "function", "delete", "class", "var"];

    /// One command as the window sees it.
    struct Command {
        name: String,
        doc: Vec<String>,
        args: Vec<(String, String)>,
        returns: String,
    }

    fn camel(snake: &str) -> String {
        let mut out = String::new();
        let mut upper = false;
        for c in snake.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.extend(c.to_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    }

    fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
        match ty {
            Type::Path(p) => p.path.segments.last(),
            Type::Reference(r) => last_segment(&r.elem),
            _ => None,
        }
    }

    fn generic(segment: &syn::PathSegment, index: usize) -> Option<&Type> {
        match &segment.arguments {
            PathArguments::AngleBracketed(args) => args
                .args
                .iter()
                .filter_map(|a| match a {
                    GenericArgument::Type(t) => Some(t),
                    _ => None,
                })
                .nth(index),
            _ => None,
        }
    }

    /// The TypeScript type of a Rust type; `used` collects the names `bindings.ts` must export.
    fn ts_type(ty: &Type, used: &mut BTreeSet<String>) -> String {
        if let Type::Tuple(t) = ty {
            assert!(t.elems.is_empty(), "tuples are not sent to the window");
            return "null".into();
        }
        let segment = last_segment(ty).unwrap_or_else(|| panic!("unsupported type in a command"));
        let name = segment.ident.to_string();
        let inner = |i: usize, used: &mut BTreeSet<String>| {
            let t = generic(segment, i).unwrap_or_else(|| panic!("{name} needs a type argument"));
            ts_type(t, used)
        };
        match name.as_str() {
            "String" | "str" => "string".into(),
            "bool" => "boolean".into(),
            "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize"
            | "f32" | "f64" => "number".into(),
            "Option" => format!("{} | null", inner(0, used)),
            "Vec" => {
                let element = inner(0, used);
                if element.contains(' ') {
                    format!("({element})[]")
                } else {
                    format!("{element}[]")
                }
            }
            "Channel" => format!("Channel<{}>", inner(0, used)),
            "PathBuf" | "Path" => panic!("no command may take a file path from the window"),
            _ => {
                used.insert(name.clone());
                name
            }
        }
    }

    /// `Reply<T>` or `Result<T, ErrorPayload>` → T.
    fn reply_type(output: &ReturnType, used: &mut BTreeSet<String>) -> String {
        let ReturnType::Type(_, ty) = output else {
            return "null".into();
        };
        let segment = last_segment(ty).unwrap_or_else(|| panic!("unsupported return type"));
        match segment.ident.to_string().as_str() {
            "Reply" | "Result" => {
                let ok = generic(segment, 0).unwrap_or_else(|| panic!("Reply needs a type"));
                ts_type(ok, used)
            }
            _ => ts_type(ty, used),
        }
    }

    fn doc_lines(attrs: &[syn::Attribute]) -> Vec<String> {
        attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .filter_map(|a| match &a.meta {
                syn::Meta::NameValue(nv) => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => Some(s.value().trim().to_string()),
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    fn is_command(attrs: &[syn::Attribute]) -> bool {
        attrs.iter().any(|a| {
            let segments: Vec<String> = a
                .path()
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            segments == ["tauri", "command"] || segments == ["command"]
        })
    }

    fn commands(used: &mut BTreeSet<String>) -> Vec<Command> {
        let mut files: Vec<_> = std::fs::read_dir(COMMANDS_DIR)
            .expect("the commands folder")
            .map(|e| e.expect("an entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        files.sort();
        let mut found = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a command file");
            let parsed = syn::parse_file(&text).expect("a command file that parses");
            for item in parsed.items {
                let Item::Fn(f) = item else { continue };
                if !is_command(&f.attrs) {
                    continue;
                }
                let mut args = Vec::new();
                for input in &f.sig.inputs {
                    let FnArg::Typed(arg) = input else { continue };
                    let injected = last_segment(&arg.ty)
                        .is_some_and(|s| INJECTED.contains(&s.ident.to_string().as_str()));
                    if injected {
                        continue;
                    }
                    let Pat::Ident(name) = arg.pat.as_ref() else {
                        panic!("{}: an argument without a plain name", f.sig.ident)
                    };
                    args.push((name.ident.to_string(), ts_type(&arg.ty, used)));
                }
                found.push(Command {
                    name: f.sig.ident.to_string(),
                    doc: doc_lines(&f.attrs),
                    args,
                    returns: reply_type(&f.sig.output, used),
                });
            }
        }
        found.sort_by(|a, b| a.name.cmp(&b.name));
        found
    }

    fn generated() -> String {
        let mut used = BTreeSet::new();
        let commands = commands(&mut used);
        let mut out = String::from(
            "// Generated from the command functions in src-tauri/app/src/commands by\n\
             // `UPDATE_BINDINGS=1 cargo test -p evidence-app ipc_gen`; do not edit by hand.\n\
             // One function per command: arguments in the command's order (a trailing optional one\n\
             // may be left out), sent under the camelCase names Tauri expects; every function\n\
             // rejects with an ApiError carrying the core's error code.\n\n",
        );
        let channel = commands
            .iter()
            .any(|c| c.args.iter().any(|(_, t)| t.starts_with("Channel<")));
        if channel {
            out.push_str("import type { Channel } from \"@tauri-apps/api/core\";\n");
        }
        let types: Vec<&str> = used.iter().map(String::as_str).collect();
        out.push_str(&format!(
            "import type {{\n{}}} from \"./bindings\";\nimport {{ call }} from \"./invoke\";\n",
            types
                .iter()
                .map(|t| format!("  {t},\n"))
                .collect::<String>()
        ));
        for command in &commands {
            out.push('\n');
            if !command.doc.is_empty() {
                out.push_str(&format!("/** {} */\n", command.doc.join(" ")));
            }
            // Trailing optional arguments may be left out (they are sent as null).
            let optional_from = command
                .args
                .iter()
                .rposition(|(_, t)| !t.ends_with("| null"))
                .map_or(0, |i| i + 1);
            let params: Vec<String> = command
                .args
                .iter()
                .enumerate()
                .map(|(i, (name, ty))| {
                    let mut param = camel(name);
                    if RESERVED.contains(&param.as_str()) {
                        param.push('_');
                    }
                    if i >= optional_from {
                        format!("{param}: {ty} = null")
                    } else {
                        format!("{param}: {ty}")
                    }
                })
                .collect();
            let sent: Vec<String> = command
                .args
                .iter()
                .map(|(name, _)| {
                    let key = camel(name);
                    if RESERVED.contains(&key.as_str()) {
                        format!("{key}: {key}_")
                    } else {
                        key
                    }
                })
                .collect();
            let body = if sent.is_empty() {
                format!("call<{}>(\"{}\")", command.returns, command.name)
            } else {
                format!(
                    "call<{}>(\"{}\", {{ {} }})",
                    command.returns,
                    command.name,
                    sent.join(", ")
                )
            };
            out.push_str(&format!(
                "export const {} = ({}): Promise<{}> =>\n  {};\n",
                camel(&command.name),
                params.join(", "),
                command.returns,
                body
            ));
        }
        out
    }

    #[test]
    fn commands_ts_is_current() {
        let expected = generated();
        let path = Path::new(OUTPUT);
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(path, &expected).expect("write commands.ts");
            return;
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == expected,
            "ui/src/lib/commands.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p evidence-app ipc_gen`"
        );
    }

    #[test]
    fn every_registered_command_is_generated() {
        let mut used = BTreeSet::new();
        let generated: BTreeSet<String> = commands(&mut used).into_iter().map(|c| c.name).collect();
        let registry = std::fs::read_to_string(format!("{COMMANDS_DIR}/mod.rs")).expect("mod.rs");
        let start = registry
            .find("generate_handler![")
            .expect("the handler list");
        let list = &registry[start..];
        let end = list.find(']').expect("the end of the handler list");
        let registered: BTreeSet<String> = list["generate_handler![".len()..end]
            .split(',')
            .filter_map(|entry| entry.trim().rsplit("::").next().map(str::to_string))
            .filter(|name| !name.is_empty())
            .collect();
        assert_eq!(
            registered, generated,
            "registered commands vs generated functions"
        );
    }
}
