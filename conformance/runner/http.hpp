// rtnotify-conformance: one HTTP exchange with a time limit, and a cookie jar per logical client.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CONFORMANCE_HTTP_HPP
#define RTNOTIFY_CONFORMANCE_HTTP_HPP

#include "target.hpp"

#include <rtnotify/beast/cookie_jar.hpp>

#include <chrono>
#include <cstddef>
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
};

/// Why nothing came back.
struct no_reply
{
    bool timed_out = false; ///< the limit passed (else: a connection error)
    std::string what;
};

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

/// `method path` with the target's headers, then `headers`, and `body` to
/// `to`, with the client's cookies, on a connection of its own (TLS when `to`
/// says so); gives up after `limit`, or when the reply outgrows
/// `max_reply_body_bytes` or `max_reply_header_bytes`.
std::variant<reply, no_reply> exchange(target const& to, std::string const& method, std::string const& path,
                                       std::vector<std::pair<std::string, std::string>> const& headers,
                                       std::string const& body, cookie_jar& jar, std::chrono::milliseconds limit);

} // namespace rtnotify_conformance

#endif
