import statistics as st
data = [2, 4, 4, 4, 5, 5, 7, 9]
print(st.mean(data), st.median(data), st.mode(data), st.pstdev(data), st.stdev(data))
print(st.median_low([1, 3, 5, 7]), st.median_high([1, 3, 5, 7]), st.multimode("aabbc"))
print(st.quantiles(range(1, 101), n=4), round(st.variance(data), 6))
print(st.correlation([1, 2, 3, 4], [2, 4, 5, 9]), st.fmean([1.5, 2.5]))
print(st.linear_regression([1, 2, 3, 4, 5], [2, 4, 6, 8, 11]))
