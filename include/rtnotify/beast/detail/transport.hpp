// rtnotify/beast/detail/transport.hpp: what the server's connections ask of their byte stream besides reading and writing.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_DETAIL_TRANSPORT_HPP
#define RTNOTIFY_BEAST_DETAIL_TRANSPORT_HPP

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <string>
#include <utility>

namespace rtnotify::beast::detail {

/** Gives the next operation on `s` until `d` from now; a stream without a
    timer (an in-memory one, as the fuzz targets use) never times out.
*/
template<class Stream>
void set_deadline(Stream& s, std::chrono::steady_clock::duration d)
{
    if constexpr(requires { s.expires_after(d); })
        s.expires_after(d);
}

/// Lets the next read on `s` wait as long as it takes (a held request's watch on its peer).
template<class Stream>
void clear_deadline(Stream& s)
{
    if constexpr(requires { s.expires_never(); })
        s.expires_never();
}

/// Cancels what is pending on `s`, leaving it open (a read that got bytes completes with them).
template<class Stream>
void cancel_transport(Stream& s)
{
    if constexpr(requires { s.cancel(); })
        s.cancel();
}

/// Closes `s` now: what is in flight on it ends with an error. A socket is shut down first.
template<class Stream>
void close_transport(Stream& s)
{
    boost::system::error_code ignored;
    if constexpr(requires { s.socket(); })
    {
        s.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
        s.socket().close(ignored);
    }
    else
        s.close();
}

/// The stream of an HTTP connection that becomes a WebSocket; `s` is left closed.
template<class Stream>
Stream hand_over(Stream& s)
{
    if constexpr(requires { s.release_socket(); })
        return Stream(s.release_socket()); // a moved-from tcp_stream may not even be closed
    else
        return std::move(s);
}

/// The address of the peer of `socket`, which connections, templates and sessions are counted by.
inline std::string peer_address(boost::asio::ip::tcp::socket const& socket)
{
    boost::system::error_code ignored;
    return socket.remote_endpoint(ignored).address().to_string();
}

} // namespace rtnotify::beast::detail

#endif
