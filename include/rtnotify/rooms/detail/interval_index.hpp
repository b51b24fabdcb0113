// An index of numeric intervals on one field: which contain a value, in O(log n + answers).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_DETAIL_INTERVAL_INDEX_HPP
#define RTNOTIFY_ROOMS_DETAIL_INTERVAL_INDEX_HPP

#include <rtnotify/rooms/detail/guards.hpp>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rtnotify::rooms::detail {

/** Intervals on one field, answering "which contain x" in O(log n + answers).

    Intervals open upwards (`gte`/`gt` alone) are kept sorted by their low
    end and those open downwards by their high end: the ones containing x
    are a prefix. Bounded intervals are kept sorted by their low end, with
    the running maximum of the high ends over power-of-two blocks (an
    implicit segment tree). Keeping the open ones apart lets the tree skip
    blocks of bounded intervals that end before x. Rebuilt lazily after
    changes.
*/
class interval_index
{
public:
    void add(guard const& g, std::uint32_t slot)
    {
        item const i{g.low, g.high, slot, g.low_inclusive, g.high_inclusive, g.sufficient, g.residual.get()};
        if(g.high == std::numeric_limits<double>::infinity())
            up_.push_back(i);
        else if(g.low == -std::numeric_limits<double>::infinity())
            down_.push_back(i);
        else
            bounded_.push_back(i);
        dirty_ = true;
    }

    void remove(std::uint32_t slot)
    {
        auto const same = [&](item const& i) { return i.slot == slot; };
        std::erase_if(up_, same);
        std::erase_if(down_, same);
        std::erase_if(bounded_, same);
        dirty_ = true;
    }

    bool empty() const noexcept { return up_.empty() && down_.empty() && bounded_.empty(); }

    /// Calls `f(slot, sufficient, residual)` for every interval that contains `x`.
    template<class F>
    void stab(double x, F&& f)
    {
        if(dirty_)
            rebuild();
        for(auto const& i : up_) // low ascending, high +inf
        {
            if(i.low > x)
                break;
            if(holds(i, x))
                f(i.slot, i.sufficient, i.residual);
        }
        for(auto const& i : down_) // high descending, low -inf
        {
            if(i.high < x)
                break;
            if(holds(i, x))
                f(i.slot, i.sufficient, i.residual);
        }
        // bounded intervals [0, k) have low <= x; visit those whose high >= x
        auto const k = static_cast<std::size_t>(
            std::upper_bound(bounded_.begin(), bounded_.end(), x, [](double v, item const& i) { return v < i.low; }) -
            bounded_.begin());
        if(k != 0)
            visit(1, 0, size_, k, x, f);
    }

private:
    struct item
    {
        double low, high;
        std::uint32_t slot;
        bool low_inclusive, high_inclusive, sufficient;
        expr const* residual;
    };

    /// Whether `i` contains `x`, given low <= x <= high (only the excluded ends remain to check).
    static bool holds(item const& i, double x) noexcept
    {
        return (i.low_inclusive || x > i.low) && (i.high_inclusive || x < i.high);
    }

    void rebuild()
    {
        std::sort(up_.begin(), up_.end(), [](item const& a, item const& b) { return a.low < b.low; });
        std::sort(down_.begin(), down_.end(), [](item const& a, item const& b) { return a.high > b.high; });
        std::sort(bounded_.begin(), bounded_.end(), [](item const& a, item const& b) { return a.low < b.low; });
        size_ = std::bit_ceil(std::max<std::size_t>(bounded_.size(), 1));
        max_high_.assign(2 * size_, -std::numeric_limits<double>::infinity());
        for(std::size_t i = 0; i < bounded_.size(); ++i)
            max_high_[size_ + i] = bounded_[i].high;
        for(std::size_t i = size_ - 1; i >= 1; --i)
            max_high_[i] = std::max(max_high_[2 * i], max_high_[2 * i + 1]);
        dirty_ = false;
    }

    template<class F>
    void visit(std::size_t node, std::size_t lo, std::size_t hi, std::size_t k, double x, F& f) const
    {
        if(lo >= k || max_high_[node] < x)
            return;
        if(hi - lo == 1)
        {
            auto const& i = bounded_[lo];
            if(holds(i, x))
                f(i.slot, i.sufficient, i.residual);
            return;
        }
        auto const mid = (lo + hi) / 2;
        visit(2 * node, lo, mid, k, x, f);
        visit(2 * node + 1, mid, hi, k, x, f);
    }

    std::vector<item> up_;      ///< high is +infinity
    std::vector<item> down_;    ///< low is -infinity, high finite
    std::vector<item> bounded_; ///< both ends finite: in the tree
    std::vector<double> max_high_;
    std::size_t size_ = 1;
    bool dirty_ = false;
};

} // namespace rtnotify::rooms::detail

#endif
