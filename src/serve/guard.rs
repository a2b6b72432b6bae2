//! DNS-rebinding protection for the preview server: a request is answered only when its `Host`
//! names this server (a loopback name, an IP address, or a name given with `--allowed-host`),
//! and the live-reload WebSocket only accepts an `Origin` that does the same. A page on another
//! site whose name was made to resolve to 127.0.0.1 then cannot read the preview or its socket
//! (the class of hole Vite and webpack-dev-server closed after CVEs).

/// The names a request may use for this server, besides IP addresses and `localhost`.
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts {
    /// Lowercase, without a port.
    names: Vec<String>,
}

impl AllowedHosts {
    pub fn new(names: &[String]) -> AllowedHosts {
        AllowedHosts { names: names.iter().map(|n| n.trim().trim_end_matches('.').to_ascii_lowercase()).collect() }
    }

    /// Whether a `Host` header's value (`name`, `name:port`, `[::1]:port`) names this server.
    /// A missing `Host` (HTTP/1.0) is allowed: browsers always send one.
    pub fn host_allowed(&self, host: Option<&str>) -> bool {
        match host {
            None => true,
            Some(h) => self.name_allowed(strip_port(h.trim())),
        }
    }

    /// Whether a WebSocket's `Origin` (`http://name:port`) is a page of this server. No `Origin`
    /// (a client that is not a browser) is allowed; `null` (a file or sandboxed page) is not.
    pub fn origin_allowed(&self, origin: Option<&str>) -> bool {
        let Some(origin) = origin else { return true };
        let Some(rest) = origin.trim().strip_prefix("http://").or_else(|| origin.trim().strip_prefix("https://"))
        else {
            return false;
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        // `user@host` is not an origin browsers send; refuse it rather than parse it.
        !authority.contains('@') && self.name_allowed(strip_port(authority))
    }

    fn name_allowed(&self, name: &str) -> bool {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if name.is_empty() {
            return false;
        }
        // An address cannot be rebound: the attack needs a name that resolves here.
        let bare = name.trim_start_matches('[').trim_end_matches(']');
        if bare.parse::<std::net::IpAddr>().is_ok() {
            return true;
        }
        name == "localhost" || name.ends_with(".localhost") || self.names.contains(&name)
    }
}

/// `name:port` -> `name`; `[::1]:3000` -> `[::1]`; a bare IPv6 address is left whole.
fn strip_port(authority: &str) -> &str {
    if authority.starts_with('[') {
        return match authority.find(']') {
            Some(end) => &authority[..=end],
            None => authority,
        };
    }
    match authority.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') && port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => authority,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_addresses_and_listed_names_are_this_server() {
        let allowed = AllowedHosts::new(&["Docs.Internal".into()]);
        for host in [
            "127.0.0.1:3000",
            "localhost:3000",
            "LOCALHOST",
            "preview.localhost:8080",
            "[::1]:3000",
            "192.168.1.20:3000",
            "docs.internal:3000",
            "docs.internal.",
        ] {
            assert!(allowed.host_allowed(Some(host)), "{host}");
        }
        for host in ["evil.example:3000", "evil.example", "localhost.evil.example", "127.0.0.1.nip.io:3000", ""] {
            assert!(!allowed.host_allowed(Some(host)), "{host}");
        }
        assert!(allowed.host_allowed(None));
    }

    #[test]
    fn origins_must_be_pages_of_this_server() {
        let allowed = AllowedHosts::new(&[]);
        assert!(allowed.origin_allowed(Some("http://127.0.0.1:3000")));
        assert!(allowed.origin_allowed(Some("http://localhost:3000")));
        assert!(allowed.origin_allowed(None));
        for origin in ["http://evil.example", "null", "file://", "http://127.0.0.1@evil.example", "ws://evil.example"] {
            assert!(!allowed.origin_allowed(Some(origin)), "{origin}");
        }
    }
}
