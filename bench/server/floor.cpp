// server_floor: the least CPU and latency a long-polling server can have per delivery on this machine, measured with no protocol at all.
// SPDX-License-Identifier: BSL-1.0
//
// The baseline of bench/server/compare.sh. A server that parses nothing and
// encodes nothing still makes the system calls a delivery needs: it writes
// one response per held request and reads the next request. This program
// makes only those, on loopback, in the shape of compare.sh's cases:
//
// - the server (this process, on --server-cpu) accepts N connections, waits
//   on them with edge-triggered epoll, reads each request (`--request-bytes`)
//   with one recv, and holds it; a publish writes one response
//   (`--response-bytes`, the publish time in its first bytes) to every
//   connection holding a request, with one sendmsg each;
// - the subscribers (a child process, on --client-cpu) read each response,
//   note its latency (from the publish to the read) and send the next
//   request at once. With --push they send nothing back and the server
//   writes every publish to every connection (WebSocket without
//   acknowledgements).
//
// Publishes go at --rate R per second, or with --in-flight 1 as soon as the
// last one has reached every subscriber (and, without --push, every
// subscriber is held again; with --push the subscribers say so with one
// byte on a channel apart, once per publish).
// The report uses rtnotify-load's field names: deliveries,
// server_cpu_us_per_delivery (user and system time of the server process
// while it measures), server_system_cpu_us_per_delivery, latency_us (p50,
// p90, p99, max) and server_syscalls_per_delivery.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

struct options
{
    int subscribers = 1000;
    double rate = 0;       ///< publishes per second; 0: one in flight
    double duration = 5;   ///< seconds measured
    double warmup = 1;     ///< seconds before
    std::size_t response_bytes = 520; ///< what rtnotify-server's reply to a connect with one delivery takes
    std::size_t request_bytes = 300;  ///< what rtnotify-load's /meta/connect request takes
    bool push = false;
    bool json = false;
    int server_cpu = 0;
    int client_cpu = 1;
};

constexpr char const* usage =
    "usage: server_floor [--subscribers N] [--rate R | --in-flight 1] [--duration S] [--warmup S]\n"
    "                    [--response-bytes B] [--request-bytes B] [--push] [--server-cpu C] [--client-cpu C] [--json]\n"
    "The least CPU and latency per delivery of a long-polling server on this machine: no protocol, only\n"
    "the system calls a delivery needs (epoll, one recv of each request, one sendmsg of each response),\n"
    "server and subscribers on loopback, pinned to two CPUs. Defaults: 1000 subscribers, one publish in\n"
    "flight, 5 s measured after 1 s, 520-byte responses, 300-byte requests, CPUs 0 and 1.\n";

/// Exits with status 2: the command line is wrong.
[[noreturn]] void refuse(std::string const& what)
{
    std::fprintf(stderr, "server_floor: %s\n", what.c_str());
    std::exit(2);
}

/// Exits with status 1: a system call failed (`errno` says why), or a peer did what this program never asks of it.
[[noreturn]] void fail(std::string const& what)
{
    std::fprintf(stderr, "server_floor: %s%s%s\n", what.c_str(), errno ? ": " : "", errno ? std::strerror(errno) : "");
    std::exit(1);
}

options parse(int argc, char** argv)
{
    options o;
    for(int i = 1; i < argc; ++i)
    {
        std::string_view const a = argv[i];
        auto value = [&]() -> char const* {
            if(i + 1 == argc)
                refuse(std::string(a) + " needs a value");
            return argv[++i];
        };
        auto number = [&](double low) {
            std::string_view const flag = a;
            char const* v = value();
            char* end = nullptr;
            double const d = std::strtod(v, &end);
            if(end == v || *end != '\0' || !(d >= low))
                refuse(std::string(flag) + " takes a number of at least " + std::to_string(low) + ", not " + v);
            return d;
        };
        if(a == "--subscribers")
            o.subscribers = static_cast<int>(number(1));
        else if(a == "--rate")
            o.rate = number(0.001);
        else if(a == "--in-flight")
        {
            if(number(1) != 1)
                refuse("--in-flight: only 1 (one publish in flight) is measured here");
            o.rate = 0;
        }
        else if(a == "--duration")
            o.duration = number(0.1);
        else if(a == "--warmup")
            o.warmup = number(0);
        else if(a == "--response-bytes")
            o.response_bytes = static_cast<std::size_t>(number(sizeof(std::int64_t)));
        else if(a == "--request-bytes")
            o.request_bytes = static_cast<std::size_t>(number(1));
        else if(a == "--server-cpu")
            o.server_cpu = static_cast<int>(number(0));
        else if(a == "--client-cpu")
            o.client_cpu = static_cast<int>(number(0));
        else if(a == "--push")
            o.push = true;
        else if(a == "--json")
            o.json = true;
        else if(a == "--help" || a == "-h")
        {
            std::fputs(usage, stdout);
            std::exit(0);
        }
        else
        {
            std::fputs(usage, stderr);
            refuse("unknown option " + std::string(a));
        }
    }
    return o;
}

std::int64_t now_ns()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if(sched_setaffinity(0, sizeof set, &set) != 0)
        fail("pin to CPU " + std::to_string(cpu));
}

double cpu_us(rusage const& r)
{
    return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e6 +
           static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
}

double system_us(rusage const& r)
{
    return static_cast<double>(r.ru_stime.tv_sec) * 1e6 + static_cast<double>(r.ru_stime.tv_usec);
}

/// The subscribers: reads responses, answers each with the next request, and writes the latencies' percentiles to `out` at the end.
[[noreturn]] void subscribe(options const& o, sockaddr_in const& server, int out)
{
    pin(o.client_cpu);
    int const ep = epoll_create1(0);
    std::vector<char> request(o.request_bytes, 'q');
    std::vector<char> buffer(64 * 1024);
    for(int i = 0; i < o.subscribers; ++i)
    {
        int const fd = socket(AF_INET, SOCK_STREAM, 0);
        int const one = 1;
        if(fd < 0 || connect(fd, reinterpret_cast<sockaddr const*>(&server), sizeof server) != 0)
            fail("connect subscriber " + std::to_string(i));
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        epoll_event ev{EPOLLIN, {.fd = fd}};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
        if(!o.push && send(fd, request.data(), request.size(), 0) < 0)
            fail("send the first request");
    }
    std::vector<float> latencies; // µs, of the deliveries read in the measured window
    std::int64_t measured_from = 0;
    if(read(out, &measured_from, sizeof measured_from) != sizeof measured_from) // the server says when it starts measuring
        fail("read the start of the measured window");
    latencies.reserve(1 << 20);
    std::vector<std::size_t> partial; // bytes of the response being read, by descriptor
    int open = o.subscribers;
    long long read_whole = 0; // responses
    std::vector<epoll_event> events(256);
    while(open > 0)
    {
        int const n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), -1);
        for(int k = 0; k < n; ++k)
        {
            int const fd = events[k].data.fd;
            auto const got = recv(fd, buffer.data(), buffer.size(), 0);
            if(got <= 0)
            {
                close(fd);
                --open;
                continue;
            }
            // a read may hold pieces of responses; each starts with its publish time
            if(static_cast<std::size_t>(fd) >= partial.size())
                partial.resize(static_cast<std::size_t>(fd) + 1);
            auto& done = partial[static_cast<std::size_t>(fd)];
            for(std::size_t at = 0, size = static_cast<std::size_t>(got); at < size;)
            {
                if(done == 0 && size - at >= sizeof(std::int64_t))
                {
                    std::int64_t published = 0;
                    std::memcpy(&published, buffer.data() + at, sizeof published);
                    if(published >= measured_from)
                        latencies.push_back(static_cast<float>(now_ns() - published) / 1e3f);
                }
                auto const take = std::min(o.response_bytes - done, size - at);
                at += take;
                done += take;
                if(done < o.response_bytes)
                    continue;
                done = 0;
                if(!o.push && send(fd, request.data(), request.size(), 0) < 0)
                    fail("send a request");
                if(o.push && o.rate == 0 && ++read_whole % o.subscribers == 0 && write(out, "+", 1) != 1)
                    fail("say that a publish has reached every subscriber");
            }
        }
    }
    std::sort(latencies.begin(), latencies.end());
    auto at = [&](double q) {
        return latencies.empty() ? 0.0 : latencies[static_cast<std::size_t>(q * static_cast<double>(latencies.size() - 1))];
    };
    double const result[] = {static_cast<double>(latencies.size()), at(0.5), at(0.9), at(0.99), at(1.0)};
    if(write(out, result, sizeof result) != sizeof result)
        fail("write the latencies");
    std::exit(0);
}

} // namespace

int main(int argc, char** argv)
{
    options const o = parse(argc, argv);
    signal(SIGPIPE, SIG_IGN);
    int const listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if(listener < 0 || bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
       listen(listener, 4096) != 0 || getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        fail("listen on 127.0.0.1");
    int channel[2]; // the server tells the subscribers when it measures; they answer with their latencies
    if(socketpair(AF_UNIX, SOCK_STREAM, 0, channel) != 0)
        fail("socketpair");
    pid_t const child = fork();
    if(child < 0)
        fail("fork");
    if(child == 0)
    {
        close(listener);
        close(channel[0]);
        subscribe(o, address, channel[1]);
    }
    close(channel[1]);
    pin(o.server_cpu);

    int const ep = epoll_create1(0);
    std::vector<int> sockets;
    for(int i = 0; i < o.subscribers; ++i)
    {
        int const fd = accept(listener, nullptr, nullptr);
        int const one = 1;
        if(fd < 0)
            fail("accept");
        fcntl(fd, F_SETFL, O_NONBLOCK);
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        epoll_event ev{EPOLLIN | EPOLLET, {.u32 = static_cast<std::uint32_t>(i)}};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
        sockets.push_back(fd);
    }
    constexpr std::uint32_t from_subscribers = UINT32_MAX; // the channel's epoll tag
    epoll_event channel_event{EPOLLIN, {.u32 = from_subscribers}};
    epoll_ctl(ep, EPOLL_CTL_ADD, channel[0], &channel_event);
    bool reached_all = true; // with --push and one in flight: the last publish has been read by every subscriber
    std::vector<char> held(sockets.size(), o.push ? 1 : 0);
    std::size_t held_count = o.push ? sockets.size() : 0;
    std::vector<char> response(o.response_bytes, 'r');
    std::vector<char> buffer(64 * 1024);
    std::vector<epoll_event> events(256);

    std::int64_t const start = now_ns();
    std::int64_t const measure_at = start + static_cast<std::int64_t>(o.warmup * 1e9);
    std::int64_t const end = measure_at + static_cast<std::int64_t>(o.duration * 1e9);
    std::int64_t const period = o.rate > 0 ? static_cast<std::int64_t>(1e9 / o.rate) : 0;
    std::int64_t next_publish = start;
    bool measuring = false;
    rusage before{};
    std::uint64_t deliveries = 0, syscalls = 0;
    if(write(channel[0], &measure_at, sizeof measure_at) != sizeof measure_at)
        fail("tell the subscribers when the measure starts");
    for(;;)
    {
        std::int64_t t = now_ns();
        if(!measuring && t >= measure_at)
        {
            measuring = true;
            getrusage(RUSAGE_SELF, &before);
            deliveries = syscalls = 0;
        }
        bool const everyone = o.push ? reached_all : held_count == sockets.size();
        if(t >= end && (everyone || (o.push && period > 0)))
            break; // the last publish has reached everyone (or, pushed at a rate, is on its way)
        bool const due = t < end && (period > 0 ? t >= next_publish : everyone);
        if(due)
        {
            std::memcpy(response.data(), &t, sizeof t);
            iovec piece{response.data(), response.size()};
            msghdr message{};
            message.msg_iov = &piece;
            message.msg_iovlen = 1;
            for(std::size_t i = 0; i < sockets.size(); ++i)
                if(held[i])
                {
                    ++syscalls;
                    errno = 0;
                    if(sendmsg(sockets[i], &message, 0) != static_cast<ssize_t>(response.size()))
                        fail("sendmsg took less than a whole response (raise the socket buffers or lower --rate)");
                    ++deliveries;
                    if(!o.push)
                        held[i] = 0;
                }
            if(!o.push)
                held_count = 0;
            reached_all = false;
            next_publish += period;
            if(period > 0 && next_publish < t)
                next_publish = t + period; // behind: no burst to catch up
            continue;
        }
        int timeout_ms = 100;
        if(period > 0 && t < end)
            timeout_ms = static_cast<int>(std::clamp<std::int64_t>((next_publish - t) / 1'000'000, 0, 100));
        ++syscalls;
        int const n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), timeout_ms);
        for(int k = 0; k < n; ++k)
        {
            auto const i = events[k].data.u32;
            ++syscalls;
            if(i == from_subscribers)
            {
                char byte = 0;
                if(read(channel[0], &byte, 1) != 1)
                    fail("read from the subscribers");
                reached_all = true;
                continue;
            }
            errno = 0;
            auto const got = recv(sockets[i], buffer.data(), buffer.size(), 0);
            if(got == 0 || (got < 0 && errno != EAGAIN))
                fail("a subscriber left");
            if(got > 0 && !held[i])
            {
                held[i] = 1;
                ++held_count;
            }
        }
    }
    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    for(int fd : sockets)
        shutdown(fd, SHUT_RDWR);
    double result[5] = {};
    if(read(channel[0], result, sizeof result) != sizeof result)
        fail("read the subscribers' latencies");
    waitpid(child, nullptr, 0);

    double const d = deliveries ? static_cast<double>(deliveries) : 1.0;
    double const cpu = (cpu_us(after) - cpu_us(before)) / d;
    double const system = (system_us(after) - system_us(before)) / d;
    char mode[64];
    if(o.rate > 0)
        std::snprintf(mode, sizeof mode, "rate=%g", o.rate);
    else
        std::snprintf(mode, sizeof mode, "in-flight=1");
    if(o.json)
        std::printf("{\"subscribers\":%d,\"mode\":\"%s\",\"push\":%s,\"deliveries\":%llu,\"received\":%.0f,"
                    "\"server_cpu_us_per_delivery\":%.3f,\"server_system_cpu_us_per_delivery\":%.3f,"
                    "\"server_syscalls_per_delivery\":%.3f,\"deliveries_per_second\":%.1f,"
                    "\"latency_us\":{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"max\":%.1f}}\n",
                    o.subscribers, mode, o.push ? "true" : "false", static_cast<unsigned long long>(deliveries),
                    result[0], cpu, system, static_cast<double>(syscalls) / d, static_cast<double>(deliveries) / o.duration,
                    result[1], result[2], result[3], result[4]);
    else
        std::printf("%d subscribers, %s%s: %llu deliveries (%.0f read), server CPU %.2f us per delivery (system %.2f), "
                    "%.2f system calls per delivery; latency p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                    o.subscribers, mode, o.push ? ", push" : "", static_cast<unsigned long long>(deliveries),
                    result[0], cpu, system, static_cast<double>(syscalls) / d, result[1] / 1e3, result[3] / 1e3,
                    result[4] / 1e3);
    return 0;
}
