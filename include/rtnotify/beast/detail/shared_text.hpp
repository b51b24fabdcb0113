// A text made of shared pieces, written without copying them: a delivery encoded once goes out on every socket.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_DETAIL_SHARED_TEXT_HPP
#define RTNOTIFY_BEAST_DETAIL_SHARED_TEXT_HPP

#include <boost/asio/buffer.hpp>
#include <boost/container/small_vector.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rtnotify::beast::detail {

/** Text as a list of immutable pieces; pieces shared with other texts are
    referenced, not copied. What a connection holds for a frame or a
    response body.
*/
class shared_text
{
public:
    using piece = std::shared_ptr<std::string const>;

    shared_text() = default;

    /// The text `s`, owned.
    explicit shared_text(std::string s) { append(std::move(s)); }

    /// The text `*p`, shared.
    explicit shared_text(piece p) { append(std::move(p)); }

    /// Appends `s`, owned (nothing when empty).
    void append(std::string s)
    {
        if(!s.empty())
            append(std::make_shared<std::string const>(std::move(s)));
    }

    /// Appends `*p`, shared.
    void append(piece p)
    {
        size_ += p->size();
        pieces_.push_back(std::move(p));
    }

    /// Its length in bytes.
    std::size_t size() const noexcept { return size_; }

    /// Calls `f(piece const&)` for each piece.
    template<class F>
    void for_each_piece(F&& f) const
    {
        for(auto const& p : pieces_)
            f(p);
    }

    /// Appends its pieces to `out` as buffers, valid while this text lives (a gathered write of several texts).
    void append_buffers_to(std::vector<boost::asio::const_buffer>& out) const
    {
        for(auto const& p : pieces_)
            out.emplace_back(p->data(), p->size());
    }

    /// Its pieces as buffers, valid while this text lives.
    std::vector<boost::asio::const_buffer> buffers() const
    {
        std::vector<boost::asio::const_buffer> out;
        out.reserve(pieces_.size());
        append_buffers_to(out);
        return out;
    }

private:
    boost::container::small_vector<piece, 4> pieces_; ///< a reply batch is its opening text, a delivery or two, its closing text
    std::size_t size_ = 0;
};

} // namespace rtnotify::beast::detail

#endif
