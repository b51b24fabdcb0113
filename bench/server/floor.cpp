// server_floor: the least CPU and latency a long-polling server can have per delivery on this machine, measured with no protocol at all.
// SPDX-License-Identifier: BSL-1.0
//
// The baseline of bench/server/compare.sh. A server that parses nothing and
// encodes nothing still makes the system calls a delivery needs: it writes
// a response to each held request and reads the next request. This program
// makes only those, on loopback, in the shape of compare.sh's cases:
//
// - the server (this process, on --server-cpu) accepts N connections, waits
//   on them with edge-triggered epoll, reads each request (`--request-bytes`)
//   with one recv, and holds it. A publish is queued for every subscriber;
//   a subscriber whose request is held gets its whole queue in one response
//   (one sendmsg: `--response-bytes` for the first message and
//   `--message-bytes` for each other, as a Bayeux reply batches them);
// - the subscribers (a child process, on --client-cpu) read each response,
//   note each message's latency (from its publish to the read), send the
//   next request at once, and tell the server, with one byte on a channel
//   apart, when a message has reached every one of them. With --push they
//   send no request and the server writes every message to every
//   connection at once (WebSocket without acknowledgements).
//
// Publishes go at --rate R per second, or with --in-flight K whenever fewer
// than K are on their way to some subscriber. The report uses
// rtnotify-load's field names: deliveries (messages times subscribers,
// published in the measured window), server_cpu_us_per_delivery (user and
// system time of the server process while it measures),
// server_system_cpu_us_per_delivery, latency_us (p50, p90, p99, max) and
// server_syscalls_per_delivery.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
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
    double rate = 0;       ///< publishes per second; 0: `in_flight` at a time
    int in_flight = 1;     ///< publishes on their way at most, without a rate
    double duration = 5;   ///< seconds measured
    double warmup = 1;     ///< seconds before
    std::size_t response_bytes = 520; ///< rtnotify-server's reply to a connect with one delivery
    std::size_t message_bytes = 150;  ///< what each further delivery adds to a reply
    std::size_t request_bytes = 300;  ///< rtnotify-load's /meta/connect request
    bool push = false;
    bool json = false;
    int server_cpu = 0;
    int client_cpu = 1;
};

constexpr char const* usage =
    "usage: server_floor [--subscribers N] [--rate R | --in-flight K] [--duration S] [--warmup S]\n"
    "                    [--response-bytes B] [--message-bytes B] [--request-bytes B] [--push]\n"
    "                    [--server-cpu C] [--client-cpu C] [--json]\n"
    "The least CPU and latency per delivery of a long-polling server on this machine: no protocol, only\n"
    "the system calls a delivery needs (epoll, one recv of each request, one sendmsg of each response,\n"
    "which carries every message queued for its subscriber), server and subscribers on loopback, pinned\n"
    "to two CPUs. --push: no requests, every message written at once (WebSocket). Defaults: 1000\n"
    "subscribers, one publish in flight, 5 s measured after 1 s, responses of 520 bytes plus 150 per\n"
    "further message, 300-byte requests, CPUs 0 and 1. Exit status 1: a system call failed; 2: the\n"
    "command line is wrong.\n";

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

/// How a message travels in a response: its number and when it was published.
struct message
{
    std::int64_t id;
    std::int64_t published; ///< steady clock, ns
};

/// A response starts with the count of its messages, then the messages; the rest is filler.
constexpr std::size_t response_head_bytes = sizeof(std::uint64_t);

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
            if(end == v || *end != '\0' || !(d >= low) || d > 1e9)
            {
                char bound[32];
                std::snprintf(bound, sizeof bound, "%g", low);
                refuse(std::string(flag) + " takes a number of at least " + bound + " (and at most 1e9), not " + v);
            }
            return d;
        };
        if(a == "--subscribers")
            o.subscribers = static_cast<int>(number(1));
        else if(a == "--rate")
            o.rate = number(0.001);
        else if(a == "--in-flight")
            o.in_flight = static_cast<int>(number(1));
        else if(a == "--duration")
            o.duration = number(0.1);
        else if(a == "--warmup")
            o.warmup = number(0);
        else if(a == "--response-bytes")
            o.response_bytes = static_cast<std::size_t>(number(response_head_bytes + sizeof(message)));
        else if(a == "--message-bytes")
            o.message_bytes = static_cast<std::size_t>(number(sizeof(message)));
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

/// The bytes of a response that carries `count` messages.
std::size_t response_size(options const& o, std::size_t count)
{
    return o.response_bytes + (count - 1) * o.message_bytes;
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

/** The subscribers: read responses, answer each with the next request
    (unless pushed to), say on `channel` when a message has reached them
    all, and write the latencies' count and percentiles there at the end.
*/
[[noreturn]] void subscribe(options const& o, sockaddr_in const& server, int channel)
{
    pin(o.client_cpu);
    int const ep = epoll_create1(0);
    std::vector<char> request(o.request_bytes, 'q');
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
    std::int64_t measured_from = 0; // the server says when it starts measuring
    if(read(channel, &measured_from, sizeof measured_from) != sizeof measured_from)
        fail("read the start of the measured window");
    std::vector<float> latencies; // µs, of the messages published in the measured window
    latencies.reserve(1 << 20);
    std::unordered_map<std::int64_t, int> readers; // of each message not read by all yet
    std::vector<std::string> pending;              // bytes read of an unfinished response, by descriptor
    std::vector<char> buffer(256 * 1024);
    std::vector<epoll_event> events(256);
    for(int open = o.subscribers; open > 0;)
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
            if(static_cast<std::size_t>(fd) >= pending.size())
                pending.resize(static_cast<std::size_t>(fd) + 1);
            auto& bytes = pending[static_cast<std::size_t>(fd)];
            bytes.append(buffer.data(), static_cast<std::size_t>(got));
            std::size_t at = 0;
            while(bytes.size() - at >= response_head_bytes)
            {
                std::uint64_t count = 0;
                std::memcpy(&count, bytes.data() + at, sizeof count);
                auto const size = response_size(o, count);
                if(count == 0 || response_head_bytes + count * sizeof(message) > size)
                    fail("a response that carries " + std::to_string(count) + " messages in " + std::to_string(size) + " bytes");
                if(bytes.size() - at < size)
                    break;
                for(std::size_t m = 0; m < count; ++m)
                {
                    message one;
                    std::memcpy(&one, bytes.data() + at + response_head_bytes + m * sizeof(message), sizeof one);
                    if(one.published >= measured_from)
                        latencies.push_back(static_cast<float>(now_ns() - one.published) / 1e3f);
                    if(++readers[one.id] < o.subscribers)
                        continue;
                    readers.erase(one.id);
                    if(write(channel, "+", 1) != 1)
                        fail("say that a message has reached every subscriber");
                }
                at += size;
                if(!o.push && send(fd, request.data(), request.size(), 0) < 0)
                    fail("send a request");
            }
            bytes.erase(0, at);
        }
    }
    std::sort(latencies.begin(), latencies.end());
    auto at = [&](double q) {
        return latencies.empty() ? 0.0 : latencies[static_cast<std::size_t>(q * static_cast<double>(latencies.size() - 1))];
    };
    double const result[] = {static_cast<double>(latencies.size()), at(0.5), at(0.9), at(0.99), at(1.0)};
    if(write(channel, result, sizeof result) != sizeof result)
        fail("write the latencies");
    std::exit(0);
}

/// A subscriber's connection as the server sees it.
struct subscriber
{
    int fd = -1;
    bool held = false;           ///< its request waits for a response
    std::vector<message> queue;  ///< published, not written to it yet
};

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
    int channel[2]; // the server says when it measures; the subscribers say what has reached them all, then their latencies
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
    std::vector<subscriber> subscribers(static_cast<std::size_t>(o.subscribers));
    for(std::size_t i = 0; i < subscribers.size(); ++i)
    {
        // the channel is readable only once the subscribers have exited (they failed, and said why)
        pollfd waits[2] = {{listener, POLLIN, 0}, {channel[0], POLLIN, 0}};
        errno = 0;
        if(poll(waits, 2, 60'000) <= 0 || waits[1].revents != 0)
            fail("subscriber " + std::to_string(i) + " did not connect within 60 s");
        int const fd = accept(listener, nullptr, nullptr);
        int const one = 1;
        if(fd < 0)
            fail("accept");
        fcntl(fd, F_SETFL, O_NONBLOCK);
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        epoll_event ev{EPOLLIN | EPOLLET, {.u32 = static_cast<std::uint32_t>(i)}};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
        subscribers[i].fd = fd;
        subscribers[i].held = o.push; // pushed to: always writable
    }
    constexpr std::uint32_t from_subscribers = UINT32_MAX; // the channel's epoll tag
    epoll_event channel_event{EPOLLIN, {.u32 = from_subscribers}};
    epoll_ctl(ep, EPOLL_CTL_ADD, channel[0], &channel_event);

    std::int64_t const start = now_ns();
    std::int64_t const measure_at = start + static_cast<std::int64_t>(o.warmup * 1e9);
    std::int64_t const end = measure_at + static_cast<std::int64_t>(o.duration * 1e9);
    std::int64_t const give_up = end + 30'000'000'000; // the last messages have 30 s to reach everyone
    std::int64_t const period = o.rate > 0 ? static_cast<std::int64_t>(1e9 / o.rate) : 0;
    if(write(channel[0], &measure_at, sizeof measure_at) != sizeof measure_at)
        fail("tell the subscribers when the measure starts");

    bool measuring = false;
    rusage before{};
    std::uint64_t deliveries = 0, syscalls = 0;
    std::int64_t published = 0, completed = 0, next_publish = start;
    std::vector<char> head;                               // count and messages of a response
    std::vector<char> filler(response_size(o, 1) * 2, 'r'); // the rest, grown as replies batch more
    // writes `s`'s queue in one response
    auto flush = [&](subscriber& s) {
        std::uint64_t const count = s.queue.size();
        head.resize(response_head_bytes + count * sizeof(message));
        std::memcpy(head.data(), &count, sizeof count);
        std::memcpy(head.data() + response_head_bytes, s.queue.data(), count * sizeof(message));
        auto const size = response_size(o, count);
        if(filler.size() < size - head.size())
            filler.resize(size - head.size(), 'r');
        iovec pieces[2] = {{head.data(), head.size()}, {filler.data(), size - head.size()}};
        msghdr out{};
        out.msg_iov = pieces;
        out.msg_iovlen = 2;
        errno = 0;
        ++syscalls;
        if(sendmsg(s.fd, &out, 0) != static_cast<ssize_t>(size))
            fail("sendmsg took less than a whole response (lower --rate or --in-flight)");
        for(auto const& m : s.queue)
            deliveries += m.published >= measure_at;
        s.queue.clear();
        s.held = o.push;
    };
    std::vector<epoll_event> events(256);
    std::vector<char> buffer(64 * 1024);
    for(;;)
    {
        std::int64_t const t = now_ns();
        if(!measuring && t >= measure_at)
        {
            measuring = true;
            getrusage(RUSAGE_SELF, &before);
            syscalls = 0;
        }
        if(t >= end && completed == published)
            break; // what was published has reached everyone
        if(t >= give_up)
            fail("the last messages did not reach every subscriber within 30 s");
        bool const due = t < end && (period > 0 ? t >= next_publish : published - completed < o.in_flight);
        if(due)
        {
            message const m{published++, t};
            for(auto& s : subscribers)
            {
                s.queue.push_back(m);
                if(s.held)
                    flush(s);
            }
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
                auto const got = read(channel[0], buffer.data(), buffer.size()); // one byte per message
                if(got <= 0)
                    fail("read from the subscribers");
                completed += got;
                continue;
            }
            auto& s = subscribers[i];
            errno = 0;
            auto const got = recv(s.fd, buffer.data(), buffer.size(), 0);
            if(got == 0 || (got < 0 && errno != EAGAIN))
                fail("a subscriber left");
            if(got < 0 || o.push)
                continue;
            s.held = true;
            if(!s.queue.empty())
                flush(s);
        }
    }
    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    for(auto const& s : subscribers)
        shutdown(s.fd, SHUT_RDWR);
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
        std::snprintf(mode, sizeof mode, "in-flight=%d", o.in_flight);
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
