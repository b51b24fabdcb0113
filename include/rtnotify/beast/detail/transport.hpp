// rtnotify/beast/detail/transport.hpp: what the server's connections ask of their byte stream besides reading and writing.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_DETAIL_TRANSPORT_HPP
#define RTNOTIFY_BEAST_DETAIL_TRANSPORT_HPP

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <string>
#include <utility>

namespace rtnotify::beast::detail {

// Each function acts on the lowest layer of the stream: the TCP stream under TLS, or the stream itself.

/** Gives the next operation on `s` until `d` from now; a stream without a
    timer (an in-memory one, as the fuzz targets use) never times out.
*/
template<class Stream>
void set_deadline(Stream& s, std::chrono::steady_clock::duration d)
{
    auto& low = boost::beast::get_lowest_layer(s);
    if constexpr(requires { low.expires_after(d); })
        low.expires_after(d);
}

/// Lets the next read on `s` wait as long as it takes (a held request's watch on its peer).
template<class Stream>
void clear_deadline(Stream& s)
{
    auto& low = boost::beast::get_lowest_layer(s);
    if constexpr(requires { low.expires_never(); })
        low.expires_never();
}

/// Cancels what is pending on `s`, leaving it open (a read that got bytes completes with them).
template<class Stream>
void cancel_transport(Stream& s)
{
    auto& low = boost::beast::get_lowest_layer(s);
    if constexpr(requires { low.cancel(); })
        low.cancel();
}

/// Closes `s` now: what is in flight on it ends with an error. A socket is shut down first (TLS gets no close_notify).
template<class Stream>
void close_transport(Stream& s)
{
    auto& low = boost::beast::get_lowest_layer(s);
    boost::system::error_code ignored;
    if constexpr(requires { low.socket(); })
    {
        low.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
        low.socket().close(ignored);
    }
    else
        low.close();
}

/** The stream of an HTTP connection that becomes a WebSocket. A TCP stream
    is left closed; a TLS stream is moved from, and `s` may not be used again.
*/
template<class Stream>
Stream hand_over(Stream& s)
{
    if constexpr(requires { s.release_socket(); })
        return Stream(s.release_socket()); // a moved-from tcp_stream may not even be closed
    else
        return std::move(s);
}

/** Calls `then(error_code)` once `s` is ready for HTTP: at once for a plain
    stream; after the server's side of the TLS handshake, within `limit`, for
    a TLS stream.
*/
template<class Stream, class Then>
void start_transport(Stream& s, std::chrono::steady_clock::duration limit, Then then)
{
    if constexpr(requires { s.async_handshake(boost::asio::ssl::stream_base::server, std::move(then)); })
    {
        set_deadline(s, limit);
        s.async_handshake(boost::asio::ssl::stream_base::server, std::move(then));
    }
    else
        then(boost::system::error_code());
}

/// The address of the peer of `socket`, which connections, templates and sessions are counted by.
inline std::string peer_address(boost::asio::ip::tcp::socket const& socket)
{
    boost::system::error_code ignored;
    return socket.remote_endpoint(ignored).address().to_string();
}

} // namespace rtnotify::beast::detail

#endif
