//! Which methods each route answers, from the OpenAPI document (the route table). Lets the
//! fallback say 405 with `Allow` for a known path asked with the wrong method, 404 otherwise.
use utoipa::openapi::OpenApi;

#[derive(Debug, Clone, Default)]
pub struct MethodTable {
    routes: Vec<(Vec<Segment>, Vec<&'static str>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param,
}

fn segments(path: &str) -> Vec<Segment> {
    path.trim_matches('/')
        .split('/')
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                Segment::Param
            } else {
                Segment::Literal(s.to_owned())
            }
        })
        .collect()
}

impl MethodTable {
    pub fn from_openapi(api: &OpenApi) -> Self {
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let mut methods = Vec::new();
                for (present, name) in [
                    (item.get.is_some(), "GET"),
                    (item.post.is_some(), "POST"),
                    (item.put.is_some(), "PUT"),
                    (item.patch.is_some(), "PATCH"),
                    (item.delete.is_some(), "DELETE"),
                ] {
                    if present {
                        methods.push(name);
                    }
                }
                (segments(path), methods)
            })
            .collect();
        Self { routes }
    }

    /// The methods allowed on `path`, or `None` when no route has that shape.
    pub fn allowed(&self, path: &str) -> Option<Vec<&'static str>> {
        let asked: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut found: Option<Vec<&'static str>> = None;
        for (shape, methods) in &self.routes {
            let fits = shape.len() == asked.len()
                && shape.iter().zip(&asked).all(|(s, a)| match s {
                    Segment::Param => !a.is_empty(),
                    Segment::Literal(l) => l == a,
                });
            if fits {
                found.get_or_insert_with(Vec::new).extend(methods.iter().copied());
            }
        }
        found.map(|mut m| {
            m.sort_unstable();
            m.dedup();
            m
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_paths_report_their_methods() {
        let table = MethodTable::from_openapi(&crate::startup::openapi());
        assert_eq!(table.allowed("/healthz"), Some(vec!["GET"]));
        assert_eq!(table.allowed("/api/v1/units/12"), Some(vec!["GET", "PATCH"]));
        assert_eq!(table.allowed("/api/v1/users/3/roles/9"), Some(vec!["DELETE"]));
        assert_eq!(table.allowed("/api/v1/nothing"), None);
        assert_eq!(table.allowed("/api/v1/units/12/extra"), None);
    }
}
