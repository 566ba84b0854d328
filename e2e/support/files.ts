/** A 16×16 blue PNG (real image bytes, so the server's type sniffing and the browser accept it). */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR4nGOQCzhBEmIY1TCqYfhqAAAk1jYQypgpTwAAAABJRU5ErkJggg==', 'base64')
