// rtnotify-conformance: the endpoint under test and how to reach it (TLS, credentials, extra headers).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CONFORMANCE_TARGET_HPP
#define RTNOTIFY_CONFORMANCE_TARGET_HPP

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace boost::asio::ssl {
class context;
}

namespace rtnotify_conformance {

/// A header sent with every request and WebSocket upgrade.
using header = std::pair<std::string, std::string>;

/// How to reach a target: what the command line says beside its URL.
struct target_options
{
    std::optional<std::string> user;  ///< `NAME:PASSWORD` for Basic authentication (overrides the URL's userinfo)
    std::vector<header> headers;      ///< `--header` lines, sent on every request
    std::string cacert;               ///< a PEM file of trusted certificates (empty: the system store)
    bool insecure = false;            ///< accept any certificate (no verification)
};

/// The endpoint under test: where it is, and what every request to it carries.
struct target
{
    bool tls = false;      ///< `https://` or `wss://`
    std::string host;      ///< a name or an address (IPv6 without brackets)
    std::string port;
    std::string path;      ///< the Bayeux endpoint: `${bayeux}` in the fixtures
    std::vector<header> headers; ///< `Authorization` (from credentials) and `--header` lines
    std::shared_ptr<boost::asio::ssl::context> tls_context; ///< set when `tls`
    bool verify = true;    ///< the certificate is checked (against `host`)

    /// The URL without credentials, for reports and messages.
    std::string url() const;

    /// The `Host` header's value.
    std::string authority() const;
};

/// Parses `url` (`http`, `https`, `ws` or `wss`; userinfo taken as Basic
/// credentials) and prepares TLS; on error, a message naming what is wrong.
std::variant<target, std::string> make_target(std::string_view url, target_options const& o);

/// `Name: value` as a header; empty when it is not one.
std::optional<header> parse_header_line(std::string_view line);

} // namespace rtnotify_conformance

#endif
