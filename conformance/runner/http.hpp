// rtnotify-conformance: one HTTP exchange with a time limit, and a cookie jar per logical client.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CONFORMANCE_HTTP_HPP
#define RTNOTIFY_CONFORMANCE_HTTP_HPP

#include "target.hpp"

#include <rtnotify/beast/cookie_jar.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace rtnotify_conformance {

/// What came back.
struct reply
{
    unsigned status = 0;
    std::string content_type; ///< the media type, lower case, without parameters
    std::string body;
    double elapsed_ms = 0;
    std::string head; ///< the status line and headers as they came, for the wire log
    std::string sent; ///< the request as it went out (see `wire_text`), for the wire log
    bool reused = false; ///< it came on a kept connection a previous reply had come on
    bool kept = true;    ///< on a kept connection: the connection stays open for the next request
};

/// Why nothing came back.
struct no_reply
{
    bool timed_out = false; ///< the limit passed (else: a connection error)
    std::string what;
    std::string sent; ///< the request, when it was made (see `wire_text`)
};

/// The most of one body a wire log keeps.
inline constexpr std::size_t max_wire_body_bytes = 64 * 1024;

/// `head` and `body` as a wire log shows them: the body cut at `max_wire_body_bytes`.
inline std::string wire_text(std::string_view head, std::string_view body)
{
    std::string out(head);
    out.append(body.substr(0, max_wire_body_bytes));
    if(body.size() > max_wire_body_bytes)
        out += "\n... (" + std::to_string(body.size() - max_wire_body_bytes) + " bytes more)";
    return out;
}

/// A logical client's cookies (CometD finds sessions by its `BAYEUX_BROWSER` cookie), shared by its concurrent requests.
class cookie_jar
{
public:
    /// The `Cookie` header to send (empty: none).
    std::string header() const
    {
        std::lock_guard lock(mutex_);
        return jar_.header();
    }

    /// Keeps the cookie of a `Set-Cookie` header.
    void take(std::string_view set_cookie)
    {
        std::lock_guard lock(mutex_);
        jar_.take(set_cookie);
    }

private:
    mutable std::mutex mutex_; // requests of one client may run concurrently
    rtnotify::beast::cookie_jar jar_;
};

/// The most of a reply the runner reads: its body, and its status line and
/// headers together with any bytes read but not parsed yet (a chunk-size line).
inline constexpr std::size_t max_reply_body_bytes = 64 * 1024 * 1024;
inline constexpr std::size_t max_reply_header_bytes = 64 * 1024;

/// `method path` with the target's headers (shown in `sent` without their
/// values: they may be credentials), then `headers`, and `body` to
/// `to`, with the client's cookies, on a connection of its own (TLS when `to`
/// says so); gives up after `limit`, or when the reply outgrows
/// `max_reply_body_bytes` or `max_reply_header_bytes`.
std::variant<reply, no_reply> exchange(target const& to, std::string const& method, std::string const& path,
                                       std::vector<std::pair<std::string, std::string>> const& headers,
                                       std::string const& body, cookie_jar& jar, std::chrono::milliseconds limit);

/// A logical client's persistent connection: the requests sent on it go one
/// after the other on one connection, as long as the server keeps it open.
class kept_connection
{
public:
    kept_connection();
    ~kept_connection();
    kept_connection(kept_connection const&) = delete;
    kept_connection& operator=(kept_connection const&) = delete;

    /// As `exchange`, on this connection: opened by the first request,
    /// reused while the server keeps it open (a reply's `reused` and `kept`
    /// say which). After the server closed it, the next request opens it anew.
    std::variant<reply, no_reply> exchange(target const& to, std::string const& method, std::string const& path,
                                           std::vector<std::pair<std::string, std::string>> const& headers,
                                           std::string const& body, cookie_jar& jar, std::chrono::milliseconds limit);

    /// True when a reply came on it and the server did not say it closes it (`Connection: close`).
    bool open() const;

private:
    struct state;
    std::unique_ptr<state> state_;
};

} // namespace rtnotify_conformance

#endif
