// A plain HTTP connection handed from one server of a group to another, with the request it was read for.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_HANDED_CONNECTION_HPP
#define RTNOTIFY_BEAST_HANDED_CONNECTION_HPP

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>
#include <utility>

#include <unistd.h>

namespace rtnotify::beast {

/** A TCP connection taken off one server's `io_context` for another's
    (`server_group`): its descriptor, owned (closed if nobody takes it),
    the request read on it that the other server is to answer, the bytes
    read after that request, and the peer's address.
*/
class handed_connection
{
public:
    using descriptor = boost::asio::ip::tcp::socket::native_handle_type;

    handed_connection(descriptor fd, boost::asio::ip::tcp protocol,
                      boost::beast::http::request<boost::beast::http::string_body> request, std::string read_ahead,
                      std::string client)
        : fd_(fd), protocol_(protocol), request_(std::move(request)), read_ahead_(std::move(read_ahead)),
          client_(std::move(client))
    {
    }

    handed_connection(handed_connection&& other) noexcept
        : fd_(std::exchange(other.fd_, -1)), protocol_(other.protocol_), request_(std::move(other.request_)),
          read_ahead_(std::move(other.read_ahead_)), client_(std::move(other.client_))
    {
    }

    handed_connection& operator=(handed_connection&&) = delete;
    handed_connection(handed_connection const&) = delete;

    ~handed_connection()
    {
        if(fd_ >= 0)
            ::close(fd_);
    }

    /// Gives up the descriptor: the caller closes it from now on.
    descriptor take_descriptor() noexcept { return std::exchange(fd_, -1); }

    boost::asio::ip::tcp protocol() const noexcept { return protocol_; }

    /// The request to answer.
    boost::beast::http::request<boost::beast::http::string_body>& request() noexcept { return request_; }

    /// The bytes the peer sent after the request (the start of its next one).
    std::string const& read_ahead() const noexcept { return read_ahead_; }

    /// The peer's address.
    std::string const& client() const noexcept { return client_; }

private:
    descriptor fd_;
    boost::asio::ip::tcp protocol_;
    boost::beast::http::request<boost::beast::http::string_body> request_;
    std::string read_ahead_;
    std::string client_;
};

} // namespace rtnotify::beast

#endif
