// rtnotify-conformance: the endpoint under test, as the library's client reaches one (TLS, credentials, headers).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CONFORMANCE_TARGET_HPP
#define RTNOTIFY_CONFORMANCE_TARGET_HPP

#include <rtnotify/beast/connection.hpp>
#include <rtnotify/beast/endpoint.hpp>

#include <optional>
#include <string>

namespace rtnotify_conformance {

/// The endpoint under test: `${bayeux}` in the fixtures is its path.
using target = rtnotify::beast::endpoint;

using rtnotify::beast::async_open;
using rtnotify::beast::connection;
using rtnotify::beast::header;
using rtnotify::beast::tls_stream;

/// Where the target's SmartREST lives and which template collection the cases use (a Cumulocity tenant's settings).
struct smartrest_settings
{
    std::string path = "/s";                        ///< `${smartrest}`: template registration and queries
    std::string realtime = "/notification/realtime"; ///< `${realtime}`: the real-time requests (80 to 84)
    std::optional<std::string> xid;                 ///< `${xid}`: this collection (none: a new one per case)
    bool register_templates = true;                 ///< cases may register templates (`templates` is offered)
};

} // namespace rtnotify_conformance

#endif
