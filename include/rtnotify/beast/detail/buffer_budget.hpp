// The bytes every connection of a server buffers together, and their limit (`max_buffered_bytes`).
#ifndef RTNOTIFY_BEAST_DETAIL_BUFFER_BUDGET_HPP
#define RTNOTIFY_BEAST_DETAIL_BUFFER_BUDGET_HPP

#include <rtnotify/beast/detail/shared_text.hpp>
#include <rtnotify/detail/shared_bytes.hpp>

#include <cstddef>

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
        if(n > limit_ || used() > limit_ - n)
            return false;
        counted_ += n;
        return true;
    }

    /// Counts `n` more bytes, past the limit if need be (bytes already read).
    void add(std::size_t n) noexcept { counted_ += n; }

    /// Gives back `n` bytes counted by `reserve` or `add`.
    void release(std::size_t n) noexcept { counted_ -= n; }

    /// Counts the pieces of `t` that no other holder counts yet.
    void hold(shared_text const& t)
    {
        t.for_each_piece([&](shared_text::piece const& p) { texts_.hold(p.get()); });
    }

    /// The holder of `t` is done with it.
    void unhold(shared_text const& t)
    {
        t.for_each_piece([&](shared_text::piece const& p) { texts_.unhold(p.get()); });
    }

    /// True when more is counted than the limit allows.
    bool over() const noexcept { return used() > limit_; }

    std::size_t used() const noexcept { return counted_ + texts_.bytes(); }
    std::size_t limit() const noexcept { return limit_; }

private:
    std::size_t limit_;
    std::size_t counted_ = 0;            ///< by `reserve` and `add`
    rtnotify::detail::shared_bytes texts_; ///< by `hold`
};

} // namespace rtnotify::beast::detail

#endif
