"""The printed documents of the desk (Circular 01/2018/TT-VPCP), as small self-contained Vietnamese HTML
pages: Mẫu 01 receipt, Mẫu 02 supplement request, Mẫu 03 refusal, Mẫu 05 control log, Mẫu 06
logbook, and the public lookup page. No script, font, image or style is fetched from anywhere: a
commune desk prints them offline and a phone on a slow line loads them in one small response.
"""
