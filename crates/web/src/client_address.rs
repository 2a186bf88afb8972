//! The address a request came from, for the per-address limits on guessing (answers to a
//! link's question, staff sign-in). Behind a reverse proxy every request arrives from the
//! proxy, so one person guessing would slow everyone, and everyone together would share one
//! allowance. From the proxies named in `[server] trusted_proxies`, and only those (anyone
//! can write the header), the client is read from `X-Forwarded-For`.

use crate::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use tower_governor::GovernorError;
use tower_governor::key_extractor::KeyExtractor;

/// The client's address, worked out once per request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// A proxy's address or network (`10.0.0.5`, `10.1.0.0/16`), as the settings give it.
pub fn parse_proxy(text: &str) -> Option<IpNet> {
    let text = text.trim();
    text.parse::<IpNet>()
        .ok()
        .or_else(|| text.parse::<IpAddr>().ok().map(IpNet::from))
}

/// The client behind `peer`: the peer itself unless it is a trusted proxy; then the nearest
/// address in `X-Forwarded-For` (each proxy appends the one it was reached from, so it is read
/// from the right) that is not one of our proxies. A value that does not read as an address
/// stops the walk at the last proxy: a forged or garbled header never buys a fresh allowance.
pub fn client_of(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    // A server listening on `[::]` sees an IPv4 proxy as `::ffff:10.0.0.2`.
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    for line in headers.get_all("x-forwarded-for").iter().rev() {
        let Ok(line) = line.to_str() else {
            return client;
        };
        for hop in line.split(',').rev() {
            let hop = hop.trim();
            let Some(ip) = hop
                .parse::<IpAddr>()
                .ok()
                .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
            else {
                return client;
            };
            client = ip.to_canonical();
            if !is_trusted(&client) {
                return client;
            }
        }
    }
    client
}

/// The allowance an address draws on: its own for IPv4; for IPv6 its /64, which one
/// household or one attacker's machine holds whole (otherwise each of its 2^64 addresses
/// would bring a fresh allowance).
pub fn allowance_of(client: IpAddr) -> IpAddr {
    match client {
        IpAddr::V4(_) => client,
        IpAddr::V6(v6) => IpAddr::V6((u128::from(v6) & !((1_u128 << 64) - 1)).into()),
    }
}

/// Puts the [`ClientAddress`] on each request, for the limits further in.
pub async fn remember(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if let Some(peer) = peer {
        let client = client_of(peer, request.headers(), &state.config.trusted_proxies);
        request.extensions_mut().insert(ClientAddress(client));
    }
    next.run(request).await
}

/// The per-address limits' key: the [`ClientAddress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientKey;

impl KeyExtractor for ClientKey {
    type Key = IpAddr;

    fn extract<T>(&self, request: &axum::http::Request<T>) -> Result<IpAddr, GovernorError> {
        request
            .extensions()
            .get::<ClientAddress>()
            .map(|c| allowance_of(c.0))
            .ok_or(GovernorError::UnableToExtractKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_a_trusted_proxy_is_believed_and_only_as_far_as_our_own_proxies() {
        let trusted = [
            parse_proxy("10.0.0.5").unwrap(),
            parse_proxy("10.1.0.0/16").unwrap(),
        ];
        // Straight from the internet: the header is the client's own words, ignored.
        assert_eq!(
            client_of(ip("203.0.113.9"), &headers(&["198.51.100.1"]), &trusted),
            ip("203.0.113.9")
        );
        // Through our proxy: the address it was reached from.
        assert_eq!(
            client_of(ip("10.0.0.5"), &headers(&["203.0.113.7"]), &trusted),
            ip("203.0.113.7")
        );
        // A client that writes its own header gets its real address all the same: the
        // proxy appended it last.
        assert_eq!(
            client_of(
                ip("10.0.0.5"),
                &headers(&["1.2.3.4, 203.0.113.7"]),
                &trusted
            ),
            ip("203.0.113.7")
        );
        // Two of our proxies in a row, the header split over two lines.
        assert_eq!(
            client_of(
                ip("10.0.0.5"),
                &headers(&["203.0.113.7", "10.1.4.4"]),
                &trusted
            ),
            ip("203.0.113.7")
        );
        // Garbled: the last proxy's own address, never a fresh allowance.
        assert_eq!(
            client_of(
                ip("10.0.0.5"),
                &headers(&["203.0.113.7, nonsense"]),
                &trusted
            ),
            ip("10.0.0.5")
        );
        // No header from a proxy: the proxy.
        assert_eq!(
            client_of(ip("10.0.0.5"), &HeaderMap::new(), &trusted),
            ip("10.0.0.5")
        );
        assert_eq!(
            client_of(ip("10.0.0.5"), &headers(&["[2001:db8::1]:443"]), &trusted),
            ip("2001:db8::1")
        );
        // An IPv4 proxy seen through an IPv6 socket is still the proxy.
        assert_eq!(
            client_of(ip("::ffff:10.0.0.5"), &headers(&["203.0.113.7"]), &trusted),
            ip("203.0.113.7")
        );
        // A line that is not text stops the walk, as a garbled address does.
        let mut h = headers(&["203.0.113.7"]);
        h.append(
            "x-forwarded-for",
            axum::http::HeaderValue::from_bytes(b"\xff1.2.3.4").unwrap(),
        );
        assert_eq!(client_of(ip("10.0.0.5"), &h, &trusted), ip("10.0.0.5"));
        assert!(parse_proxy("not an address").is_none());
        assert!(parse_proxy("2001:db8::/32").is_some());
    }

    #[test]
    fn one_ipv6_network_shares_one_allowance() {
        assert_eq!(
            allowance_of(ip("2001:db8:1:2:aaaa::1")),
            allowance_of(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            allowance_of(ip("2001:db8:1:2::1")),
            allowance_of(ip("2001:db8:1:3::1"))
        );
        assert_eq!(allowance_of(ip("203.0.113.7")), ip("203.0.113.7"));
    }
}
