// A consumer of rtnotify::beast: a server on a free loopback port, stopped at once.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/server.hpp>

#include <boost/asio/io_context.hpp>

int main()
{
    boost::asio::io_context ioc;
    rtnotify::beast::server srv(ioc);
    if(srv.listen({boost::asio::ip::make_address("127.0.0.1"), 0}))
        return 1;
    srv.stop();
    ioc.run(); // returns once the acceptor is closed
    return srv.endpoints().empty() ? 0 : 1;
}
