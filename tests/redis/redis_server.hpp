// A real redis-server for the tests, on a unix socket in a temporary directory, started and stopped by the test; its fixture.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_TESTS_REDIS_REDIS_SERVER_HPP
#define RTNOTIFY_TESTS_REDIS_REDIS_SERVER_HPP

#include <rtnotify/redis/address.hpp>

#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <spawn.h>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace rtnotify_tests {

/** `redis-server` from the system (Debian: redis-server), listening on a
    unix socket only, saving nothing. `available()` is false when it is not
    installed: tests then skip, saying so.
*/
class redis_server
{
public:
    redis_server()
    {
        char pattern[] = "/tmp/rtnotify-redis-XXXXXX";
        if(char* d = ::mkdtemp(pattern))
            dir_ = d;
    }

    ~redis_server()
    {
        stop();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    /// The program to run: $RTNOTIFY_REDIS_SERVER, else redis-server on the PATH.
    static std::string program()
    {
        if(char const* p = std::getenv("RTNOTIFY_REDIS_SERVER"))
            return p;
        for(char const* d : {"/usr/bin/", "/usr/local/bin/", "/usr/sbin/"})
            if(::access((std::string(d) + "redis-server").c_str(), X_OK) == 0)
                return std::string(d) + "redis-server";
        return {};
    }

    static bool available() { return !program().empty(); }

    /// Starts it (again, after `stop`, on the same socket), with `more` arguments, and waits until it accepts connections (5 s at most).
    bool start(std::vector<std::string> const& more = {})
    {
        std::string const prog = program();
        std::vector<std::string> args{prog, "--port", "0", "--unixsocket", socket(), "--save", "", "--appendonly", "no",
                                      "--dir", dir_, "--logfile", dir_ + "/redis.log"};
        args.insert(args.end(), more.begin(), more.end());
        std::vector<char*> argv;
        for(auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        if(::posix_spawn(&pid_, prog.c_str(), nullptr, nullptr, argv.data(), environ) != 0)
            return false;
        for(int i = 0; i < 500; ++i)
        {
            if(accepts())
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }

    /** True when a connection to the socket succeeds: Redis creates the
        file when it binds, before it listens, and a client connecting in
        between is refused (a rehearsal under load caught a test there).
    */
    bool accepts() const
    {
        int const fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        if(fd < 0)
            return false;
        sockaddr_un to{};
        to.sun_family = AF_UNIX;
        auto const path = socket();
        if(path.size() >= sizeof to.sun_path)
        {
            ::close(fd);
            return false;
        }
        path.copy(to.sun_path, path.size());
        bool const ok = ::connect(fd, reinterpret_cast<sockaddr const*>(&to), sizeof to) == 0;
        ::close(fd);
        return ok;
    }

    /// Stops it (SIGTERM, then waits for it); its socket goes away.
    void stop()
    {
        if(pid_ <= 0)
            return;
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        std::error_code ec;
        std::filesystem::remove(socket(), ec);
    }

    std::string socket() const { return dir_ + "/redis.sock"; }

    rtnotify::redis::address address() const
    {
        rtnotify::redis::address a;
        a.unix_path = socket();
        return a;
    }

private:
    std::string dir_;
    pid_t pid_ = -1;
};

/// A test fixture with a started `redis_server` and an io_context; skips, saying why, where redis-server is missing.
class with_redis : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if(!redis_server::available())
            GTEST_SKIP() << "redis-server is not installed (Debian: redis-server; scripts/test.sh installs it)";
        ASSERT_TRUE(redis.start());
    }

    redis_server redis;
    boost::asio::io_context ioc;
};

} // namespace rtnotify_tests

#endif
