// rtnotify-conformance: the endpoint under test, as the library's client reaches one (TLS, credentials, headers).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CONFORMANCE_TARGET_HPP
#define RTNOTIFY_CONFORMANCE_TARGET_HPP

#include <rtnotify/beast/connection.hpp>
#include <rtnotify/beast/endpoint.hpp>

namespace rtnotify_conformance {

/// The endpoint under test: `${bayeux}` in the fixtures is its path.
using target = rtnotify::beast::endpoint;

using rtnotify::beast::async_open;
using rtnotify::beast::connection;
using rtnotify::beast::header;
using rtnotify::beast::tls_stream;

} // namespace rtnotify_conformance

#endif
