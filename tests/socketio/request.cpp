// Tests of rtnotify/socketio/request.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/socketio/request.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

namespace sio = rtnotify::socketio;

TEST(SocketioRequest, TheQueryNamesRevisionTransportAndSession)
{
    auto q = sio::read_request_query("/socket.io/?EIO=4&transport=polling&t=Q8yp5mY").value();
    EXPECT_EQ(q.version, sio::eio_version::v4);
    EXPECT_EQ(q.transport, sio::transport::polling);
    EXPECT_EQ(q.sid, "");
    q = sio::read_request_query("/socket.io/?EIO=3&transport=websocket&sid=abc&b64=1").value();
    EXPECT_EQ(q.version, sio::eio_version::v3);
    EXPECT_EQ(q.transport, sio::transport::websocket);
    EXPECT_EQ(q.sid, "abc");
}

TEST(SocketioRequest, BadQueriesGetEngineIoErrors)
{
    auto const error = [](std::string const& target) { return sio::read_request_query(target).error(); };
    EXPECT_EQ(error("/socket.io/"), (sio::request_error{5, "Unsupported protocol version"}));
    EXPECT_EQ(error("/socket.io/?EIO=5&transport=polling"), (sio::request_error{5, "Unsupported protocol version"}));
    EXPECT_EQ(error("/socket.io/?EIO=4"), (sio::request_error{0, "Transport unknown"}));
    EXPECT_EQ(error("/socket.io/?EIO=4&transport=flashsocket"), (sio::request_error{0, "Transport unknown"}));
    EXPECT_EQ(error("/socket.io/?EIO=3&transport=polling&j=0"), (sio::request_error{3, "Bad request"}));
    EXPECT_EQ(error("/socket.io/?EIO=4&transport=polling&sid=" + std::string(65, 'x')),
              (sio::request_error{1, "Session ID unknown"}));
    EXPECT_EQ(sio::request_error{}.body(), R"({"code":3,"message":"Bad request"})");
}

} // namespace
