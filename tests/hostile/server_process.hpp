// Test helper: rtnotify-server as a child process on a free loopback port, and its memory as /proc reports it.
// SPDX-License-Identifier: BSL-1.0
//
#ifndef RTNOTIFY_TESTS_HOSTILE_SERVER_PROCESS_HPP
#define RTNOTIFY_TESTS_HOSTILE_SERVER_PROCESS_HPP

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace rtnotify_test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool address_sanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool address_sanitizer = true;
#else
inline constexpr bool address_sanitizer = false;
#endif
#else
inline constexpr bool address_sanitizer = false;
#endif

/// Why RSS is not checked in this build, or empty: ASan's shadow memory and quarantine are not the server's.
inline char const* rss_unchecked_because()
{
    return address_sanitizer ? "built with AddressSanitizer, whose shadow memory and quarantine are not the server's: "
                               "the attack ran, its RSS is checked in the default build"
                             : "";
}

/** `rtnotify-server --listen 127.0.0.1:0` with more arguments, started by
    the constructor and stopped (SIGTERM, then SIGKILL after 10 s) by the
    destructor. Its log goes to a file, so that a server logging under attack
    never blocks on a full pipe. `listens` is how many endpoints it has in
    all (more `--listen` in `args`), in order.
*/
class server_process
{
public:
    explicit server_process(std::string const& args, std::size_t listens = 1)
        : log_(std::filesystem::temp_directory_path() / ("rtnotify-hostile-" + std::to_string(::getpid()) + "-" +
                                                          std::to_string(++count()) + ".log")),
          listens_(listens)
    {
        // `echo $$` prints the pid the server will have once bash execs it; setpriv (util-linux) makes the
        // kernel kill it if this process dies first (a test that aborts would otherwise leave it running)
        std::string const die_with_us = ::access("/usr/bin/setpriv", X_OK) == 0 ? "setpriv --pdeathsig KILL " : "";
        auto const command = "exec bash -c 'echo $$; exec " + die_with_us + std::string(RTNOTIFY_SERVER_TOOL) +
                             " --listen 127.0.0.1:0 " + args + " 2>" + log_.string() + "'";
        pipe_.reset(::popen(command.c_str(), "r"));
        if(!pipe_)
            return;
        char line[256];
        if(!std::fgets(line, sizeof line, pipe_.get()))
            return;
        pid_ = std::stoi(line);
        while(ports_.size() < listens && std::fgets(line, sizeof line, pipe_.get())) // listening on http://HOST:PORT
        {
            auto const text = std::string_view(line);
            auto const colon = text.rfind(':');
            if(!text.starts_with("listening on") || colon == std::string_view::npos)
                break;
            ports_.push_back(static_cast<unsigned short>(std::stoi(std::string(text.substr(colon + 1)))));
        }
    }

    ~server_process()
    {
        if(pid_ > 0)
        {
            ::kill(pid_, SIGTERM);
            auto const end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
            int status = 0;
            while(::waitpid(pid_, &status, WNOHANG) == 0)
            {
                if(std::chrono::steady_clock::now() > end)
                {
                    ADD_FAILURE() << "rtnotify-server did not stop within 10 s of SIGTERM";
                    ::kill(pid_, SIGKILL);
                    ::waitpid(pid_, &status, 0);
                    break;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        }
        pipe_.reset(); // the server was reaped above: pclose only closes the pipe
        std::error_code ignored;
        std::filesystem::remove(log_, ignored);
    }

    server_process(server_process const&) = delete;
    server_process& operator=(server_process const&) = delete;

    /// True once the server listens on all its endpoints.
    bool started() const noexcept { return !ports_.empty() && ports_.size() == listens_; }

    /// The port of endpoint `i` (0: 127.0.0.1).
    unsigned short port(std::size_t i = 0) const { return ports_.at(i); }

    /// Its resident memory now (VmRSS), in KiB; 0 when unknown.
    long rss_kb() const { return status_kb("VmRSS:"); }

    /// The most resident memory it has had (VmHWM), in KiB; 0 when unknown.
    long peak_rss_kb() const { return status_kb("VmHWM:"); }

    /// What it has logged so far.
    std::string log() const
    {
        std::ifstream in(log_);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }

private:
    static int& count()
    {
        static int n = 0;
        return n;
    }

    long status_kb(std::string_view key) const
    {
        std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
        for(std::string line; std::getline(in, line);)
            if(line.starts_with(key))
                return std::stol(line.substr(key.size()));
        return 0;
    }

    std::filesystem::path log_;
    std::unique_ptr<FILE, int (*)(FILE*)> pipe_{nullptr, ::pclose};
    int pid_ = 0;
    std::size_t listens_;
    std::vector<unsigned short> ports_;
};

/** Records the peak RSS of `srv` and its growth since `before_kib`, then
    expects the growth under `limit_kib` (`what` says what grew it). Under
    ASan the check is skipped with the reason; the test carries on.
*/
inline void expect_peak_growth_below(server_process const& srv, long before_kib, long limit_kib, std::string_view what)
{
    auto const peak = srv.peak_rss_kb();
    ::testing::Test::RecordProperty("peak_rss_kib", std::to_string(peak));
    ::testing::Test::RecordProperty("peak_growth_kib", std::to_string(peak - before_kib));
    if(address_sanitizer)
        GTEST_SKIP() << rss_unchecked_because();
    EXPECT_LT(peak - before_kib, limit_kib) << what;
}

} // namespace rtnotify_test

#endif
