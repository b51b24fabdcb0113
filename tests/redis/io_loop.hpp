// Running an io_context in a test: for a while, or until something happened (bounded in time).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_TESTS_REDIS_IO_LOOP_HPP
#define RTNOTIFY_TESTS_REDIS_IO_LOOP_HPP

#include <boost/asio/io_context.hpp>

#include <chrono>

namespace rtnotify_tests {

/// Runs `ioc` for `ms` milliseconds.
inline void spin(boost::asio::io_context& ioc, int ms)
{
    ioc.restart();
    ioc.run_for(std::chrono::milliseconds(ms));
}

/// Runs `ioc` until `done()` or 10 s; returns `done()`.
template<class Done>
bool run_until(boost::asio::io_context& ioc, Done done)
{
    auto const end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while(!done() && std::chrono::steady_clock::now() < end)
        spin(ioc, 5);
    return done();
}

} // namespace rtnotify_tests

#endif
