// The bytes every connection of a server buffers together, and their limit (`max_buffered_bytes`).
#ifndef RTNOTIFY_BEAST_DETAIL_BUFFER_BUDGET_HPP
#define RTNOTIFY_BEAST_DETAIL_BUFFER_BUDGET_HPP

#include <rtnotify/beast/detail/shared_text.hpp>

#include <cstddef>
#include <string>
#include <unordered_map>

namespace rtnotify::beast::detail {

/** Counts what connections hold in memory: request bodies and WebSocket
    messages being read, frames and responses being written. A shared piece
    of text (a delivery sent on many sockets) counts once, however many
    connections hold it.

    Reading asks first (`reserve`) and is refused beyond the limit; writing
    is counted (`hold`), and `over` tells the writer that the total is past
    it.
*/
class buffer_budget
{
public:
    explicit buffer_budget(std::size_t limit) : limit_(limit) {}

    /// Counts `n` more bytes unless that would pass the limit; false then.
    bool reserve(std::size_t n) noexcept
    {
        if(n > limit_ || used_ > limit_ - n)
            return false;
        used_ += n;
        return true;
    }

    /// Counts `n` more bytes, past the limit if need be (bytes already read).
    void add(std::size_t n) noexcept { used_ += n; }

    /// Gives back `n` bytes counted by `reserve` or `add`.
    void release(std::size_t n) noexcept { used_ -= n; }

    /// Counts the pieces of `t` that no other holder counts yet.
    void hold(shared_text const& t)
    {
        t.for_each_piece([&](shared_text::piece const& p) {
            if(++holders_[p.get()] == 1)
                used_ += p->size();
        });
    }

    /// The holder of `t` is done with it.
    void unhold(shared_text const& t)
    {
        t.for_each_piece([&](shared_text::piece const& p) {
            auto it = holders_.find(p.get());
            if(it == holders_.end() || --it->second != 0)
                return;
            used_ -= p->size();
            holders_.erase(it);
        });
    }

    /// True when more is counted than the limit allows.
    bool over() const noexcept { return used_ > limit_; }

    std::size_t used() const noexcept { return used_; }
    std::size_t limit() const noexcept { return limit_; }

private:
    std::size_t limit_;
    std::size_t used_ = 0;
    std::unordered_map<std::string const*, std::size_t> holders_;
};

} // namespace rtnotify::beast::detail

#endif
