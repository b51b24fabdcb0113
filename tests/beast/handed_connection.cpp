// Tests of rtnotify/beast/handed_connection.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/handed_connection.hpp>

#include <gtest/gtest.h>

#include <cerrno>

#include <fcntl.h>
#include <sys/socket.h>

namespace {

TEST(HandedConnection, NobodyTookItSoItClosesItsDescriptor)
{
    int pair[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
    {
        rtnotify::beast::handed_connection c(pair[0], boost::asio::ip::tcp::v4(), {}, "ahead", "127.0.0.1");
        rtnotify::beast::handed_connection moved(std::move(c));
        EXPECT_EQ(moved.read_ahead(), "ahead");
        EXPECT_EQ(moved.client(), "127.0.0.1");
        EXPECT_NE(::fcntl(pair[0], F_GETFD), -1) << "open while held";
    }
    errno = 0;
    EXPECT_EQ(::fcntl(pair[0], F_GETFD), -1);
    EXPECT_EQ(errno, EBADF);
    {
        rtnotify::beast::handed_connection c(pair[1], boost::asio::ip::tcp::v4(), {}, "", "");
        EXPECT_EQ(c.take_descriptor(), pair[1]);
    }
    EXPECT_NE(::fcntl(pair[1], F_GETFD), -1) << "taken: the taker closes it";
    ::close(pair[1]);
}

} // namespace
